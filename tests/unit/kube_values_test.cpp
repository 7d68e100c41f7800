// Kubernetes values (sema/kube_values.hpp): resource quantities, image references and probe paths, the
// pure parsers behind E0106 in apps, and the checks in the whole compiler (parameters, request > limit).
#include "sema/kube_values.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "egress/compiler.hpp"

namespace {

using namespace egress;
using namespace egress::sema::kube;

/// The errors of checking `body` (statements in `deployment web image IMAGE < >`), with `params`
/// first, on a cluster with no firewall in the way of the images' registries.
struct Checked {
  std::vector<std::string> codes;
  std::vector<std::string> messages;
  std::string rendered;
};

Checked check_app(const std::string& params, const std::string& image, const std::string& body) {
  const std::string text = params + R"(
group rg "rg" in eastus
vnet vnet "vnet" 10.42.0.0/16 < subnet aks "aks" 10.42.1.0/24 >
cluster aks "aks" in vnet.aks < nodes 1 >
app store on aks <
  deployment web image )" + image + R"( <
    port 80
)" + body + R"(
  >
>
)";
  SourceManager sources;
  Options o;
  o.stem = "t";
  const auto result = check(sources, sources.add("t.egress", text), o);
  Checked c;
  for (const auto& d : result.diagnostics.all()) {
    if (d.severity != Severity::error) continue;  // a cluster without a firewall gets advice
    c.codes.emplace_back(info(d.code).id);
    c.messages.push_back(d.message);
    c.rendered += render(d, sources);
  }
  return c;
}

long double value(std::string_view s) {
  const auto v = quantity_value(s);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("quantities: the forms Kubernetes accepts", "[kube][quantity]") {
  for (const char* s : {"0", "1", "250m", "0.5", ".5", "1.", "1.5", "128Mi", "1Gi", "2Ti", "1Pi", "1Ei", "1Ki", "100n",
                        "5u", "1k", "1M", "1G", "1T", "1P", "1E", "1e3", "1E3", "1e-3", "1e+3", "1E-2", "+1", "-1",
                        "007", "0.000", "12345678901234567890123456789012345678901234567890"}) {
    INFO(s);
    CHECK(is_quantity(s));
  }
}

TEST_CASE("quantities: what is not one", "[kube][quantity]") {
  for (const char* s : {"", " ", "1 ", " 1", "m", "Mi", ".", "+", "-", "+.", "1e", "1e+", "1e-", "1e1.5", "1ki", "1KI",
                        "1Kb", "128MB", "1GiB", "1mi", "1 Gi", "1,5", "1.5.5", "0x10", "1..2", "--1", "1+", "1Gi1",
                        "abc", "1m1", "1Mm", "\xef\xbc\x91", "1e3m", "inf", "NaN"}) {
    INFO('"' << s << '"');
    CHECK_FALSE(is_quantity(s));
    CHECK_FALSE(quantity_value(s).has_value());
  }
}

TEST_CASE("quantities: values in cores and bytes", "[kube][quantity]") {
  CHECK(value("1") == 1.0L);
  CHECK(value("1000m") == 1.0L);
  CHECK(value("250m") == value("0.25"));
  CHECK(value("1Ki") == 1024.0L);
  CHECK(value("1.5Gi") == value("1536Mi"));
  CHECK(value("1k") == value("1e3"));
  CHECK(value("1M") == 1000000.0L);
  CHECK(value("1E") == 1e18L);
  CHECK(value("1E3") == 1000.0L);
  CHECK(value("-2") == -2.0L);
  CHECK(value("0") == 0.0L);
  CHECK(value("-0") == 0.0L);
  CHECK(value("1n") < value("1u"));
  CHECK(value("1u") < value("1m"));
  CHECK(value("128Mi") == 134217728.0L);
  // More significant digits than a long double holds still give a value close to the right one.
  CHECK(value("1234567890123456789012345678901234567890") > 1.2345e39L);
  CHECK(value("0.000000000000000000000000000000000000001") > 0.0L);
  // Exponents far past any real amount saturate instead of failing.
  CHECK(value("1e999999999") > 1e4000L);
  CHECK(value("1e-999999999") == 0.0L);
}

TEST_CASE("quantities: comparing a request with a limit", "[kube][quantity]") {
  CHECK(quantity_exceeds(value("500m"), value("250m")));
  CHECK_FALSE(quantity_exceeds(value("250m"), value("500m")));
  CHECK_FALSE(quantity_exceeds(value("1"), value("1000m")));
  CHECK_FALSE(quantity_exceeds(value("1000m"), value("1")));
  CHECK_FALSE(quantity_exceeds(value("1Gi"), value("1024Mi")));
  CHECK_FALSE(quantity_exceeds(value("1.1"), value("1100m")));
  CHECK(quantity_exceeds(value("1.001"), value("1")));
  CHECK(quantity_exceeds(value("1Gi"), value("1G")));  // 1073741824 > 1000000000
  CHECK(quantity_exceeds(value("1e999999999"), value("1E")));
}

TEST_CASE("image references: what the kubelet accepts", "[kube][image]") {
  for (const char* s : {"nginx", "nginx:latest", "busybox:1.36", "library/nginx", "docker.io/library/nginx:1.25",
                        "mcr.microsoft.com/azuredocs/aks-helloworld:v1",
                        "ghcr.io/azure-samples/aks-store-demo/store-front:latest",
                        "mcr.microsoft.com/mirror/docker/library/rabbitmq:3.10-management-alpine",
                        "localhost/app", "localhost:5000/app:dev", "registry.example.com:5000/team/app",
                        "10.0.0.1:5000/app", "[::1]:5000/app", "My-Registry.io/app", "MYREG/app",
                        "a/b/c/d/e", "a.b", "a_b", "a__b", "a-b", "a---b", "a.b_c__d-e", "app:V1.0_rc-1",
                        "app:_x", "app:1",
                        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        "nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        "quay.io/prometheus/node-exporter:v1.8.1"}) {
    INFO(s);
    CHECK(image_reference_problem(s) == std::nullopt);
    CHECK(is_image_reference(s));
  }
}

TEST_CASE("image references: what it rejects, and why", "[kube][image]") {
  struct Bad {
    const char* text;
    const char* why;  // a fragment of the reason
  };
  const std::vector<Bad> bad = {
      {"", "empty"},
      {" nginx", "white space"},
      {"nginx ", "white space"},
      {"ng inx", "white space"},
      {"nginx\n", "white space"},
      {"nginx\x01", "control"},
      {"caf\xc3\xa9", "outside ASCII"},
      {"Nginx", "upper-case"},
      {"library/Nginx:1", "upper-case"},
      {"MyReg/App", "upper-case"},
      {"\"nginx\"", "`\"`"},
      {"nginx'", "`'`"},
      {"$(touch)", "`$`"},
      {"nginx:", "tag after `:` is empty"},
      {"nginx:-1", "tag"},
      {"nginx:.x", "tag"},
      {"nginx:a+b", "`+`"},
      {":latest", "repository name is empty"},
      {"/nginx", "empty path component"},
      {"nginx/", "empty path component"},
      {"a//b", "empty path component"},
      {"-nginx", "component"},
      {"nginx-", "component"},
      {"a..b", "component"},
      {"a___b", "component"},
      {"a._b", "component"},
      {".a", "component"},
      {"reg.io:port/app", "port"},
      {"reg.io:123456/app", "port"},
      {"reg..io/app", "host"},
      {"-reg.io/app", "host"},
      {"reg_x.io/app", "host"},
      {"[::1/app", "IPv6"},
      {"[zz]/app", "IPv6"},
      {"[::1]x/app", "after its address"},
      {"nginx@", "digest"},
      {"nginx@sha256", "digest"},
      {"nginx@md5:0123456789abcdef0123456789abcdef", "digest"},
      {"nginx@sha256:0123", "64 lower-case hex"},
      {"nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "64 lower-case hex"},
      {"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef@x", "more than one"},
      {"a:b/c", "port"},
      {"x/a:b/c", "`:`"},
      {"a/b[c]", "brackets"},
  };
  for (const auto& b : bad) {
    INFO('"' << b.text << '"');
    const auto why = image_reference_problem(b.text);
    REQUIRE(why.has_value());
    INFO(*why);
    CHECK(why->find(b.why) != std::string::npos);
    CHECK_FALSE(is_image_reference(b.text));
  }
  CHECK(image_reference_problem("a/" + std::string(260, 'b')).value().find("255") != std::string::npos);
  CHECK(is_image_reference("app:" + std::string(128, 'a')));
  CHECK(image_reference_problem("app:" + std::string(129, 'a')).value().find("longer than 128") != std::string::npos);
}

TEST_CASE("image references: the lower-case suggestion", "[kube][image]") {
  CHECK(lower_case_image_reference("Nginx:Latest") == std::optional<std::string>("nginx:Latest"));
  CHECK(lower_case_image_reference("MyReg.io/Team/App:V1") == std::optional<std::string>("myreg.io/team/app:V1"));
  CHECK(lower_case_image_reference("nginx") == std::nullopt);      // nothing to change
  CHECK(lower_case_image_reference("Ngi nx") == std::nullopt);     // still not valid
}

TEST_CASE("probe paths", "[kube][probe]") {
  for (const char* s : {"/", "/health", "/healthz?full=1", "/a/b/c", "/%20", "/caf\xc3\xa9", "/$(x)", "/it's"}) {
    INFO(s);
    CHECK(http_path_problem(s) == std::nullopt);
    CHECK(is_http_path(s));
  }
  CHECK(http_path_problem("").value() == "it is empty");
  CHECK(http_path_problem("health").value().find("start with `/`") != std::string::npos);
  CHECK(http_path_problem("/he alth").value().find("white space") != std::string::npos);
  CHECK(http_path_problem(" /health").value().find("white space") != std::string::npos);
  CHECK(http_path_problem("/a\tb").value().find("white space") != std::string::npos);
  CHECK(http_path_problem("/a\nb").value().find("white space") != std::string::npos);
  CHECK(http_path_problem("/a\x7f").value().find("control") != std::string::npos);
  CHECK(http_path_problem(std::string("/a\0b", 4)).value().find("control") != std::string::npos);
  CHECK(is_http_path("/" + std::string(kMaxHttpPath - 1, 'a')));
  CHECK(http_path_problem("/" + std::string(kMaxHttpPath, 'a')).value().find("2048") != std::string::npos);
}

TEST_CASE("values in messages are quoted, escaped and cut", "[kube]") {
  CHECK(shown("abc") == "\"abc\"");
  CHECK(shown("") == "\"\"");
  CHECK(shown("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(shown("a\nb\tc\rd\x01" "e\x7f") == "\"a\\nb\\tc\\rd\\x01e\\x7F\"");
  CHECK(shown(std::string(100, 'x')) == "\"" + std::string(60, 'x') + "...\"");
  // Cut at a character boundary: 59 ASCII bytes then a two-byte character straddling the 60th byte.
  CHECK(shown(std::string(59, 'x') + "\xc3\xa9" + "yyyy") == "\"" + std::string(59, 'x') + "...\"");
}

// A quadratic parser would take hours on these 1 MB inputs: ctest's TIMEOUT reports that as a failure.
TEST_CASE("the parsers are linear: long hostile inputs", "[kube]") {
  const std::string digits(1 << 20, '9');
  const std::string dashes = "a" + std::string(1 << 20, '-') + "!";
  const std::string underscores = "a" + std::string(1 << 20, '_');
  const std::string path = "/" + std::string(1 << 20, 'a');
  CHECK(is_quantity(digits));
  CHECK(is_quantity(digits + "." + digits + "Mi"));
  CHECK_FALSE(is_quantity(digits + "x"));
  CHECK_FALSE(is_image_reference(dashes));
  CHECK_FALSE(is_image_reference(underscores));
  CHECK_FALSE(is_image_reference(std::string(1 << 20, 'a') + ":" + std::string(1 << 20, 'b')));
  CHECK_FALSE(is_http_path(path));
}

TEST_CASE("apps: bad Kubernetes values are E0106 at the string", "[kube][sema]") {
  auto c = check_app("", R"("Nginx:1.25")", R"(
    probe "health"
    requests cpu "" memory "128MB"
    limits cpu "abc" memory "-1Gi"
    wait_for db 5432 image "busybox 1.36"
    replicas 1001
)");
  INFO(c.rendered);
  REQUIRE(c.codes.size() == 8);
  for (const auto& code : c.codes) CHECK(code == "E0106");
  CHECK(c.rendered.find("`image \"Nginx:1.25\"` is not a valid image reference") != std::string::npos);
  CHECK(c.rendered.find("repositories are lower case: \"nginx:1.25\"") != std::string::npos);
  CHECK(c.rendered.find("`probe \"health\"` is not an HTTP path") != std::string::npos);
  CHECK(c.rendered.find("`requests cpu` is empty") != std::string::npos);
  CHECK(c.rendered.find("`requests memory \"128MB\"` is not a Kubernetes quantity") != std::string::npos);
  CHECK(c.rendered.find("write \"128M\" (powers of 1000) or \"128Mi\" (powers of 1024)") != std::string::npos);
  CHECK(c.rendered.find("`limits cpu \"abc\"` is not a Kubernetes quantity") != std::string::npos);
  CHECK(c.rendered.find("`limits memory \"-1Gi\"` is negative") != std::string::npos);
  CHECK(c.rendered.find("`wait_for image \"busybox 1.36\"`") != std::string::npos);
  CHECK(c.rendered.find("`replicas 1001` is more than egress allows (1000)") != std::string::npos);
}

TEST_CASE("apps: a request above its limit", "[kube][sema]") {
  auto c = check_app("", R"("nginx")", R"(
    requests cpu "500m" memory "1Gi"
    limits cpu "250m" memory "1024Mi"
)");
  INFO(c.rendered);
  REQUIRE(c.codes == std::vector<std::string>{"E0106"});
  CHECK(c.messages[0] == "`requests cpu \"500m\"` is more than `limits cpu \"250m\"`");
  CHECK(c.rendered.find("note: the limit is set here") != std::string::npos);

  // Equal amounts written differently, and requests or limits alone, are fine.
  for (const char* body : {"requests cpu \"1\" memory \"1.5Gi\"\n limits cpu \"1000m\" memory \"1536Mi\"",
                           "requests cpu \"2\"", "limits memory \"1Mi\"",
                           "requests cpu \"1\"\n limits memory \"1Mi\""}) {
    INFO(body);
    CHECK(check_app("", R"("nginx")", body).codes.empty());
  }
  // Memory too, and the limit written before the request.
  auto m = check_app("", R"("nginx")", "limits memory \"1G\"\n requests memory \"1Gi\"");
  REQUIRE(m.codes == std::vector<std::string>{"E0106"});
  CHECK(m.messages[0] == "`requests memory \"1Gi\"` is more than `limits memory \"1G\"`");
}

TEST_CASE("apps: values from parameters are checked at their defaults, else left to deploy time", "[kube][sema]") {
  const std::string params = R"(
param cpu: string = "25x"
param good: string = "250m"
param tag: string = "bad tag"
param free: string
)";
  auto c = check_app(params, R"("nginx:${tag}")", R"(
    requests cpu "${cpu}"
    limits cpu "${good}"
    probe "/${free}"
    wait_for db 5432 image "${free}"
)");
  INFO(c.rendered);
  REQUIRE(c.codes.size() == 2);
  CHECK(c.messages[0] ==
        "`image \"nginx:${tag}\"` (that is \"nginx:bad tag\" with the parameters' defaults) is not a valid image "
        "reference: it contains white space");
  CHECK(c.messages[1] ==
        "`requests cpu \"${cpu}\"` (that is \"25x\" with the parameters' defaults) is not a Kubernetes quantity");

  // A default that fits, and a request above a limit through parameters.
  auto d = check_app(R"(param big: string = "2")", R"("nginx")", R"(
    requests cpu "${big}"
    limits cpu "1"
)");
  REQUIRE(d.codes == std::vector<std::string>{"E0106"});
  CHECK(d.messages[0] == "`requests cpu \"2\"` is more than `limits cpu \"1\"`");

  // A hole naming no parameter is E0104 alone.
  auto e = check_app("", R"("nginx:${nope}")", "");
  CHECK(e.codes == std::vector<std::string>{"E0104"});
}

TEST_CASE("apps: the values the article and the tests use are accepted", "[kube][sema]") {
  auto c = check_app("", R"("mcr.microsoft.com/mirror/docker/library/rabbitmq:3.10-management-alpine")", R"(
    probe "/health"
    requests cpu "10m" memory "128Mi"
    limits cpu "250m" memory "256Mi"
    wait_for rabbitmq 5672 image "busybox:1.36"
    wait_for other 80
    replicas 0
)");
  INFO(c.rendered);
  CHECK(c.codes.empty());
  auto r = check_app("", R"("nginx")", "replicas 1000");
  CHECK(r.codes.empty());
}
