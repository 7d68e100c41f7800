// The Kubernetes emitter: the aks-store-demo objects of the article, read back by three independent YAML
// readers (PyYAML, Go's yaml through kubectl, js-yaml), hostile strings that must round-trip exactly, and
// the manifests passing k8s_check.sh (yamllint, JSON schemas, kubernetes-models).
#include <sys/stat.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "article_ir.hpp"
#include "emit/emit.hpp"
#include "emit/yaml_writer.hpp"
#include "test_support.hpp"

namespace {

using nlohmann::json;
using egress::testing::article_ir;

using Result = egress::testing::harness::CommandResult;
Result run(const std::string& cmd, bool merge_stderr = true) {
  return egress::testing::harness::run_command(cmd, merge_stderr);
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

using egress::testing::harness::TempDir;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  REQUIRE(f.good());
}

egress::emit::EmitOptions opts() {
  egress::emit::EmitOptions o;
  o.stem = "main";
  o.version = "0.1.0";
  return o;
}

std::string validators_dir() { return egress::testing::source_dir() + "/build/validators"; }

// The documents of a YAML file as JSON, read by one reader; nullopt when that reader is not installed.
enum class Reader { pyyaml, kubectl, jsyaml };

const char* reader_name(Reader r) {
  switch (r) {
    case Reader::pyyaml: return "PyYAML";
    case Reader::kubectl: return "kubectl (Go yaml)";
    case Reader::jsyaml: return "js-yaml";
  }
  return "?";
}

std::optional<json> load(Reader reader, const std::string& file) {
  Result r;
  switch (reader) {
    case Reader::pyyaml:
      if (run("python3 -c 'import yaml'").status != 0) return std::nullopt;
      r = run("python3 -c 'import sys, json, yaml; "
              "json.dump(list(yaml.safe_load_all(open(sys.argv[1], \"rb\"))), sys.stdout)' " + file, false);
      break;
    case Reader::kubectl:
      if (run("command -v kubectl >/dev/null").status != 0) return std::nullopt;
      r = run("kubectl label --local -f " + file + " egress-test=1 -o json", false);
      break;
    case Reader::jsyaml: {
      std::string mod = validators_dir() + "/node_modules/js-yaml";
      if (run("command -v node >/dev/null").status != 0 || !exists(mod)) return std::nullopt;
      r = run("node -e 'const y = require(process.argv[1]); const fs = require(\"fs\"); "
              "process.stdout.write(JSON.stringify(y.loadAll(fs.readFileSync(process.argv[2], \"utf8\"))))' " + mod +
              " " + file, false);
      break;
    }
  }
  INFO(reader_name(reader) << " output: " << r.out.substr(0, 2000));
  REQUIRE(r.status == 0);
  // kubectl prints one JSON object after another; strip the label it added.
  if (reader == Reader::kubectl) {
    json docs = json::array();
    std::istringstream in(r.out);
    while ((in >> std::ws) && in.peek() != EOF) {
      json one;
      in >> one;
      if (one.value("kind", "") == "List")
        for (auto& item : one["items"]) docs.push_back(item);
      else
        docs.push_back(one);
    }
    for (auto& d : docs) {
      d["metadata"]["labels"].erase("egress-test");
      if (d["metadata"]["labels"].empty()) d["metadata"].erase("labels");
    }
    return docs;
  }
  return json::parse(r.out);
}

// Every string a YAML writer can get wrong: indicators, YAML 1.1 booleans and numbers, line breaks of every
// kind, control characters, spaces at the edges and at fold points, lines longer than the fold width.
std::vector<std::string> hostile_strings() {
  std::vector<std::string> v = {
      "", " ", "  leading", "trailing  ", "a: b", "a:b", "key:", ":colon", "- item", "-", "--", "#comment",
      "a #b", "a# b", "&anchor", "*alias", "!tag", "!!str", "%directive", "@at", "`tick", "{x: 1}", "[1, 2]",
      "|", ">", "|-", "'single'", "\"double\"", "back\\slash", "\\n literal", "yes", "No", "ON", "off", "y", "N",
      "true", "False", "null", "~", "NULL", "Null", "5672", "0x1F", "0o17", "012", "1e3", "-1.5", "+1", ".5",
      ".inf", "-.Inf", ".NaN", "1_000", "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "=", "<<",
      "---", "...", "--- x", "? x", "?x", ",comma", "[", "]", "{", "}", "\"", "'", "\\", "\t", "\t lead",
      "multi\nline\n", "multi\nline", "  indented\nfirst\n", "first\n  indented\n", "trailing \nspace\n",
      "tab\there\n", "cr\r\nlf", "\n", "\n\n", "\nleading newline", "a\n\n\n\nb", "a\n\n", "a\n\nb\n",
      "# not a comment\n- not a list\nkey: not a map\n---\n...\n",
      "unicode \xC3\xBCn\xC3\xAF\xC3\xA7\xC3\xB8" "d\xC3\xA9 \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x9A\x80",
      "nel\xC2\x85x", "ls\xE2\x80\xA8x", "ps\xE2\x80\xA9", "bom\xEF\xBB\xBF", "ctrl\x01\x07\x1b\x7f",
      "c1\xC2\x80\xC2\x9F", "nbsp\xC2\xA0", std::string("nul\0x", 5), "$(touch pwned) `x` ${HOME}",
      "http://a:b@host:80/path?q=1#frag", std::string(300, 'x'),
  };
  std::string words;
  for (int i = 0; i < 60; ++i) words += "word" + std::to_string(i) + (i % 7 == 0 ? "  " : " ");
  v.push_back(words);                  // spaces at many fold points
  v.push_back(std::string(79, 'a') + "  b");
  v.push_back(std::string(80, 'a') + " b");
  v.push_back(std::string(81, 'a') + " \n b");
  std::string config;
  for (int i = 0; i < 30; ++i) config += "line " + std::to_string(i) + ": value with spaces and # hash\n";
  v.push_back(config);                 // a clean multi-line file
  v.push_back(config + "no final newline");
  return v;
}

// The article's app with hostile strings in ConfigMap data (and keys), env values, an image and a command.
egress::ir::Deployment hostile_ir() {
  auto d = article_ir();
  auto strs = hostile_strings();
  auto& app = d.apps[0];
  auto& cm = app.config_maps[0];
  cm.data.clear();
  for (std::size_t i = 0; i < strs.size(); ++i) cm.data.emplace_back("k" + std::to_string(i), strs[i]);
  for (const char* key : {"yes", "123", "on", "1.5", "-dash", ".dot"}) cm.data.emplace_back(key, key);
  auto& w = app.workloads[1];
  w.env.clear();
  for (std::size_t i = 0; i < strs.size(); ++i) w.env.emplace_back("V" + std::to_string(i), strs[i]);
  w.init_containers[0].command = strs;
  app.workloads[2].image = "registry.example.com:5000/img: x #y";
  return d;
}

}  // namespace

TEST_CASE("yaml: plain scalars only where every reader keeps them strings", "[k8s][yaml]") {
  using egress::emit::yaml::plain_ok;
  for (const char* s : {"rabbitmq", "order-service", "/health", "kubernetes.io/os", "http://order-service:3000/",
                        "ghcr.io/azure-samples/aks-store-demo/order-service:latest", "busybox:1.36", "username"})
    CHECK(plain_ok(s));
  for (const char* s : {"", "yes", "No", "ON", "off", "y", "N", "true", "null", "5672", "10m", "0.0.0.0", "-c",
                        "a: b", "key:", "a #b", ".inf", "~", "*x", "&x", "!x", "%x", "@x", "`x", "[x", "{x", "'x",
                        "\"x", "x y", "x\ny", " x", "x "})
    CHECK_FALSE(plain_ok(s));
}

TEST_CASE("k8s: the article's app, read back", "[k8s]") {
  auto yaml = egress::emit::k8s(article_ir(), opts());
  CHECK(yaml == egress::emit::k8s(article_ir(), opts()));  // deterministic
  CHECK(yaml.back() == '\n');
  CHECK(yaml.find('\r') == std::string::npos);
  CHECK(yaml.find('\t') == std::string::npos);
  CHECK(yaml.find("egressc 0.1.0") != std::string::npos);
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path.string() + "/main.yaml", yaml);
  auto docs = load(Reader::pyyaml, tmp.path.string() + "/main.yaml");
  if (!docs) {
    WARN("python3 with PyYAML not installed: the YAML was not read back");
    return;
  }
  REQUIRE(docs->size() == 7);
  std::vector<std::string> kinds;
  for (const auto& d : *docs) kinds.push_back(d["kind"].get<std::string>() + "/" + d["metadata"]["name"].get<std::string>());
  CHECK(kinds == std::vector<std::string>{"ConfigMap/rabbitmq-enabled-plugins", "StatefulSet/rabbitmq",
                                          "Deployment/order-service", "Deployment/store-front", "Service/rabbitmq",
                                          "Service/order-service", "Service/store-front"});
  const auto& cm = (*docs)[0];
  CHECK(cm["apiVersion"] == "v1");
  CHECK(cm["data"]["enabled_plugins"] == "[rabbitmq_management,rabbitmq_prometheus,rabbitmq_amqp1_0].");
  for (const auto& d : *docs) {
    CHECK_FALSE(d["metadata"].contains("namespace"));
    CHECK(d["metadata"]["labels"]["app.kubernetes.io/part-of"] == "store");
  }

  const auto& rabbit = (*docs)[1];
  CHECK(rabbit["apiVersion"] == "apps/v1");
  CHECK(rabbit["spec"]["serviceName"] == "rabbitmq");
  CHECK(rabbit["spec"]["selector"]["matchLabels"] == json{{"app", "rabbitmq"}});
  CHECK(rabbit["spec"]["template"]["metadata"]["labels"] == json{{"app", "rabbitmq"}});
  const auto& pod = rabbit["spec"]["template"]["spec"];
  CHECK(pod["nodeSelector"] == json{{"kubernetes.io/os", "linux"}});
  const auto& c = pod["containers"][0];
  CHECK(c["image"] == "mcr.microsoft.com/mirror/docker/library/rabbitmq:3.10-management-alpine");
  CHECK(c["ports"] == json::parse(R"([{"containerPort":5672,"name":"amqp"},{"containerPort":15672,"name":"http"}])"));
  CHECK(c["resources"] == json::parse(R"({"requests":{"cpu":"10m","memory":"128Mi"},"limits":{"cpu":"250m","memory":"256Mi"}})"));
  CHECK(c["volumeMounts"] == json::parse(
                                 R"([{"name":"rabbitmq-enabled-plugins","mountPath":"/etc/rabbitmq/enabled_plugins","subPath":"enabled_plugins"}])"));
  CHECK(pod["volumes"] == json::parse(R"([{"name":"rabbitmq-enabled-plugins","configMap":{"name":"rabbitmq-enabled-plugins"}}])"));
  CHECK_FALSE(c.contains("readinessProbe"));  // no probe path

  const auto& order = (*docs)[2];
  CHECK(order["kind"] == "Deployment");
  CHECK_FALSE(order["spec"].contains("serviceName"));
  const auto& opod = order["spec"]["template"]["spec"];
  CHECK(opod["initContainers"][0]["command"] ==
        json::parse(R"(["sh","-c","until nc -zv rabbitmq 5672; do echo waiting for rabbitmq; sleep 2; done"])"));
  const auto& oc = opod["containers"][0];
  CHECK(oc["env"] == json::parse(R"([{"name":"ORDER_QUEUE_HOSTNAME","value":"rabbitmq"},{"name":"ORDER_QUEUE_PORT","value":"5672"}])"));
  CHECK(oc["readinessProbe"]["httpGet"] == json::parse(R"({"path":"/health","port":3000})"));
  CHECK(oc["livenessProbe"]["httpGet"] == json::parse(R"({"path":"/health","port":3000})"));

  const auto& front = (*docs)[6];
  CHECK(front["spec"]["type"] == "LoadBalancer");
  CHECK(front["metadata"]["annotations"] ==
        json::parse(R"({"service.beta.kubernetes.io/azure-load-balancer-internal":"true",
                        "service.beta.kubernetes.io/azure-load-balancer-ipv4":"10.42.1.254"})"));
  CHECK(front["spec"]["ports"] == json::parse(R"([{"name":"port-80","port":80,"targetPort":8080,"protocol":"TCP"}])"));
  CHECK(front["spec"]["selector"] == json{{"app", "store-front"}});
  CHECK((*docs)[4]["spec"]["type"] == "ClusterIP");
  CHECK_FALSE((*docs)[4]["metadata"].contains("annotations"));
}

TEST_CASE("k8s: a namespace other than default", "[k8s]") {
  auto d = article_ir();
  d.apps[0].ns = "shop";
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path.string() + "/ns.yaml", egress::emit::k8s(d, opts()));
  auto docs = load(Reader::pyyaml, tmp.path.string() + "/ns.yaml");
  if (!docs) {
    WARN("python3 with PyYAML not installed: skipped");
    return;
  }
  REQUIRE(docs->size() == 8);
  CHECK((*docs)[0]["kind"] == "Namespace");
  CHECK((*docs)[0]["metadata"]["name"] == "shop");
  CHECK_FALSE((*docs)[0]["metadata"].contains("namespace"));
  for (std::size_t i = 1; i < docs->size(); ++i) CHECK((*docs)[i]["metadata"]["namespace"] == "shop");
}

TEST_CASE("k8s: hostile strings round-trip exactly through three YAML readers", "[k8s][yaml][quoting]") {
  auto d = hostile_ir();
  auto strs = hostile_strings();
  auto yaml = egress::emit::k8s(d, opts());
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path.string() + "/hostile.yaml", yaml);
  int readers = 0;
  for (auto reader : {Reader::pyyaml, Reader::kubectl, Reader::jsyaml}) {
    auto docs = load(reader, tmp.path.string() + "/hostile.yaml");
    if (!docs) {
      WARN(reader_name(reader) << " not available: skipped");
      continue;
    }
    ++readers;
    INFO("reader: " << reader_name(reader));
    REQUIRE(docs->size() == 7);
    const auto& data = (*docs)[0]["data"];
    const auto& c = (*docs)[2]["spec"]["template"]["spec"]["containers"][0];
    const auto& cmd = (*docs)[2]["spec"]["template"]["spec"]["initContainers"][0]["command"];
    REQUIRE(cmd.size() == strs.size());
    REQUIRE(c["env"].size() == strs.size());
    for (std::size_t i = 0; i < strs.size(); ++i) {
      INFO("string #" << i << ": " << json(strs[i]).dump());
      auto key = "k" + std::to_string(i);
      REQUIRE(data.contains(key));
      CHECK(data[key].is_string());
      CHECK(data[key] == strs[i]);
      CHECK(c["env"][i]["value"] == strs[i]);
      CHECK(cmd[i] == strs[i]);
    }
    for (const char* key : {"yes", "123", "on", "1.5", "-dash", ".dot"}) CHECK(data[key] == key);
    CHECK((*docs)[3]["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.com:5000/img: x #y");
  }
  if (readers == 0) WARN("no YAML reader available: nothing was read back");
  for (const auto& line : [&] {
         std::vector<std::string> ls;
         std::istringstream in(yaml);
         for (std::string l; std::getline(in, l);) ls.push_back(l);
         return ls;
       }()) {
    CHECK(line.size() <= 200);  // yamllint's line-length
    CHECK((line.empty() || line.back() != ' '));
  }
}

TEST_CASE("k8s: k8s_check.sh accepts the article's manifests and the hostile ones", "[k8s][validators]") {
  std::string checker = validators_dir() + "/k8s_check.sh";
  if (!exists(checker)) {
    WARN("k8s_check.sh not found at " << checker << ": skipped (run shared/validators/setup.sh build/validators)");
    return;
  }
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  auto ns = article_ir();
  ns.apps[0].ns = "shop";
  struct Case {
    const char* file;
    std::string yaml;
    int docs;
  };
  for (const auto& c : {Case{"main.yaml", egress::emit::k8s(article_ir(), opts()), 7},
                        Case{"ns.yaml", egress::emit::k8s(ns, opts()), 8},
                        Case{"hostile.yaml", egress::emit::k8s(hostile_ir(), opts()), 7}}) {
    write_file(tmp.path.string() + "/" + c.file, c.yaml);
    auto r = run(checker + " " + tmp.path.string() + "/" + c.file);
    INFO(c.file << ":\n" << r.out);
    CHECK(r.status == 0);
    auto n = std::to_string(c.docs);
    CHECK(r.out.find("K8S: " + n + " document(s), " + n + " valid, 0 invalid, 0 unchecked; 0 error(s), 0 warning(s)") !=
          std::string::npos);
    CHECK(r.out.find("yamllint: 0 error(s), 0 warning(s)") != std::string::npos);
  }
}
