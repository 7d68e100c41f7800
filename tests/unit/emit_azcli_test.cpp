// The az CLI emitter: the article's commands and flags, an order that respects the IR's dependencies,
// quoting that no hostile name can break, and the script passing shellcheck and the az argument checker.
// Scripts are executed here with `az` and `kubectl` replaced by bash functions that record their argv.
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "article_ir.hpp"
#include "emit/emit.hpp"
#include "test_support.hpp"

namespace {

using egress::testing::article_ir;
using egress::testing::interp;
using Argv = std::vector<std::string>;

using Result = egress::testing::harness::CommandResult;

Result run(const std::string& cmd) { return egress::testing::harness::run_command(cmd); }

bool have(const std::string& tool) { return run("command -v " + tool + " >/dev/null").status == 0; }

// A scratch folder, removed with everything in it at the end of the test.
using egress::testing::harness::TempDir;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  REQUIRE(f.good());
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

egress::emit::EmitOptions opts(std::string stem = "main") {
  egress::emit::EmitOptions o;
  o.stem = std::move(stem);
  o.version = "0.1.0";
  return o;
}

// Runs `script` (saved as DIR/run/<stem>.sh) under bash with az and kubectl recorded; returns every call's argv
// (the tool's name first). `$(az ... --query ...)` gets `query_value`. The environment is cleared of the
// script's parameters so their defaults apply.
std::vector<Argv> record(const std::string& dir, const std::string& stem, const std::string& script,
                         const std::string& query_value = "10.1.2.3") {
  std::string rundir = dir + "/run";
  mkdir(rundir.c_str(), 0755);
  write_file(rundir + "/" + stem + ".sh", script);
  write_file(dir + "/stub.bash",
             "log() { { printf '%s\\037' \"$@\"; printf '\\036'; } >> \"$EGRESS_LOG\"; }\n"
             "az() {\n"
             "  log az \"$@\"\n"
             "  local a\n"
             "  for a in \"$@\"; do if [[ \"$a\" == --query ]]; then printf '%s\\n' \"$EGRESS_QUERY\"; fi; done\n"
             "}\n"
             "kubectl() { log kubectl \"$@\"; }\n"
             "export -f log az kubectl\n");
  write_file(dir + "/log", "");
  write_file(dir + "/query", query_value);
  auto r = run("cd " + rundir + " && env -u LOCATION -u PREFIX EGRESS_LOG=" + dir + "/log EGRESS_QUERY=\"$(cat " + dir +
               "/query)\" bash -c 'source " + dir + "/stub.bash; for f in ./*.sh; do bash \"$f\"; done'");
  INFO(r.out);
  REQUIRE(r.status == 0);
  std::vector<Argv> calls;
  Argv cur;
  std::string field;
  for (char c : read_file(dir + "/log")) {
    if (c == '\037') {
      cur.push_back(field);
      field.clear();
    } else if (c == '\036') {
      calls.push_back(cur);
      cur.clear();
    } else {
      field += c;
    }
  }
  return calls;
}

bool starts_with(const Argv& call, const Argv& prefix) {
  return call.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), call.begin());
}

std::vector<std::size_t> find_calls(const std::vector<Argv>& calls, const Argv& prefix) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (starts_with(calls[i], prefix)) out.push_back(i);
  return out;
}

std::string value_of(const Argv& call, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < call.size(); ++i)
    if (call[i] == flag) return call[i + 1];
  return "<missing " + flag + ">";
}

std::string join(const Argv& a) {
  std::string s;
  for (const auto& x : a) s += (s.empty() ? "" : " ") + x;
  return s;
}

}  // namespace

TEST_CASE("azcli: header, strict mode, parameters and name variables", "[azcli]") {
  auto script = egress::emit::azcli(article_ir(), opts());
  CHECK(script.rfind("#!/usr/bin/env bash\n", 0) == 0);
  CHECK(script.find("egressc 0.1.0") != std::string::npos);
  CHECK(script.find("\nset -euo pipefail\n") != std::string::npos);
  CHECK(script.find("\nLOCATION=\"${LOCATION:-eastus}\"\n") != std::string::npos);
  CHECK(script.find("\nPREFIX=\"${PREFIX:-aks-egress}\"\n") != std::string::npos);
  CHECK(script.find("\nRG=\"${PREFIX}-rg\"\n") != std::string::npos);
  CHECK(script.find("\nFW_NAME=\"${PREFIX}-fw\"\n") != std::string::npos);
  CHECK(script.find("SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"") != std::string::npos);
  CHECK(script.find("--delete") != std::string::npos);
  CHECK(script.back() == '\n');
  CHECK(script.find('\r') == std::string::npos);
  CHECK(script == egress::emit::azcli(article_ir(), opts()));  // deterministic
}

TEST_CASE("azcli: the article's commands, with the article's flags", "[azcli]") {
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  auto calls = record(dir, "main", egress::emit::azcli(article_ir(), opts()));
  const std::string rg = "aks-egress-rg", fw = "aks-egress-fw", pip_addr = "10.1.2.3";
  auto expect_one = [&](const Argv& expected) {
    bool found = std::any_of(calls.begin(), calls.end(), [&](const Argv& c) { return c == expected; });
    INFO("expected: " << join(expected));
    for (auto i : find_calls(calls, Argv(expected.begin(), expected.begin() + 3))) INFO("emitted:  " << join(calls[i]));
    CHECK(found);
  };
  // The firewall commands: az_check cannot judge them (extension), so they are compared with the article here.
  expect_one({"az", "extension", "add", "--name", "azure-firewall"});
  expect_one({"az", "network", "firewall", "create", "--resource-group", rg, "--name", fw, "--location", "eastus",
              "--enable-dns-proxy", "true"});
  expect_one({"az", "network", "firewall", "ip-config", "create", "--resource-group", rg, "--firewall-name", fw, "--name",
              "aks-egress-fwconfig", "--public-ip-address", "aks-egress-fwpublicip", "--vnet-name", "aks-egress-vnet"});
  expect_one({"az", "network", "firewall", "show", "--resource-group", rg, "--name", fw, "--query",
              "ipConfigurations[0].privateIPAddress", "-o", "tsv"});
  const Argv nr = {"az", "network", "firewall", "network-rule", "create", "--resource-group", rg, "--firewall-name", fw,
                   "--collection-name", "aksfwnr"};
  auto with = [](Argv a, const Argv& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  expect_one(with(nr, {"--name", "apiudp", "--protocols", "UDP", "--source-addresses", "*", "--destination-addresses",
                       "AzureCloud.eastus", "--destination-ports", "1194", "--action", "allow", "--priority", "100"}));
  expect_one(with(nr, {"--name", "apitcp", "--protocols", "TCP", "--source-addresses", "*", "--destination-addresses",
                       "AzureCloud.eastus", "--destination-ports", "9000"}));
  expect_one(with(nr, {"--name", "time", "--protocols", "UDP", "--source-addresses", "*", "--destination-fqdns",
                       "ntp.ubuntu.com", "--destination-ports", "123"}));
  expect_one(with(nr, {"--name", "ghcr", "--protocols", "TCP", "--source-addresses", "*", "--destination-fqdns", "ghcr.io",
                       "pkg-containers.githubusercontent.com", "--destination-ports", "443"}));
  expect_one(with(nr, {"--name", "docker", "--protocols", "TCP", "--source-addresses", "*", "--destination-fqdns",
                       "docker.io", "registry-1.docker.io", "production.cloudflare.docker.com", "--destination-ports",
                       "443"}));
  expect_one({"az", "network", "firewall", "application-rule", "create", "--resource-group", rg, "--firewall-name", fw,
              "--collection-name", "aksfwar", "--name", "fqdn", "--source-addresses", "*", "--protocols", "http=80",
              "https=443", "--fqdn-tags", "AzureKubernetesService", "--action", "allow", "--priority", "100"});
  // The article's flag order; its values come from the IR (TCP, and the static internal load-balancer IP).
  expect_one({"az", "network", "firewall", "nat-rule", "create", "--collection-name", "dnat", "--destination-addresses",
              pip_addr, "--destination-ports", "80", "--firewall-name", fw, "--name", "store-front-80", "--protocols", "TCP",
              "--resource-group", rg, "--source-addresses", "*", "--translated-port", "80", "--action", "Dnat",
              "--priority", "100", "--translated-address", "10.42.1.254"});
  // The rest, which az_check also parses with the real CLI.
  expect_one({"az", "group", "create", "--name", rg, "--location", "eastus"});
  expect_one({"az", "network", "vnet", "create", "--resource-group", rg, "--name", "aks-egress-vnet", "--location", "eastus",
              "--address-prefixes", "10.42.0.0/16", "--subnet-name", "aks-subnet", "--subnet-prefixes", "10.42.1.0/24"});
  expect_one({"az", "network", "vnet", "subnet", "create", "--resource-group", rg, "--vnet-name", "aks-egress-vnet",
              "--name", "AzureFirewallSubnet", "--address-prefixes", "10.42.2.0/24"});
  expect_one({"az", "network", "public-ip", "create", "--resource-group", rg, "--name", "aks-egress-fwpublicip",
              "--location", "eastus", "--sku", "Standard", "--allocation-method", "Static"});
  expect_one({"az", "network", "public-ip", "show", "--resource-group", rg, "--name", "aks-egress-fwpublicip", "--query",
              "ipAddress", "-o", "tsv"});
  expect_one({"az", "network", "route-table", "create", "--resource-group", rg, "--location", "eastus", "--name",
              "aks-egress-fwrt"});
  expect_one({"az", "network", "route-table", "route", "create", "--resource-group", rg, "--name", "aks-egress-fwrn",
              "--route-table-name", "aks-egress-fwrt", "--address-prefix", "0.0.0.0/0", "--next-hop-type",
              "VirtualAppliance", "--next-hop-ip-address", "10.1.2.3"});
  expect_one({"az", "network", "route-table", "route", "create", "--resource-group", rg, "--name", "aks-egress-fwinternet",
              "--route-table-name", "aks-egress-fwrt", "--address-prefix", "10.1.2.3/32", "--next-hop-type", "Internet"});
  expect_one({"az", "network", "vnet", "subnet", "update", "--resource-group", rg, "--vnet-name", "aks-egress-vnet",
              "--name", "aks-subnet", "--route-table", "aks-egress-fwrt"});
  expect_one({"az", "network", "vnet", "subnet", "show", "--resource-group", rg, "--vnet-name", "aks-egress-vnet", "--name",
              "aks-subnet", "--query", "id", "-o", "tsv"});
  expect_one({"az", "aks", "create", "--resource-group", rg, "--name", "aks-egress", "--location", "eastus", "--node-count",
              "3", "--network-plugin", "azure", "--outbound-type", "userDefinedRouting", "--vnet-subnet-id", "10.1.2.3",
              "--api-server-authorized-ip-ranges", "10.1.2.3/32", "--node-vm-size", "Standard_DS2_v2", "--max-pods",
              "30", "--generate-ssh-keys"});
  expect_one({"az", "aks", "get-credentials", "--resource-group", rg, "--name", "aks-egress", "--overwrite-existing"});
  auto applies = find_calls(calls, {"kubectl", "apply"});
  REQUIRE(applies.size() == 1);
  CHECK(calls[applies[0]] == Argv{"kubectl", "apply", "-f", dir + "/run/main.yaml"});
  CHECK(calls.size() == 24);  // 23 az commands and one kubectl
}

TEST_CASE("azcli: the order respects every depends_on and the article's sequence", "[azcli]") {
  auto d = article_ir();
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  auto calls = record(dir, "main", egress::emit::azcli(d, opts()));
  auto first = [&](const Argv& prefix, const std::string& name = {}) -> std::size_t {
    for (std::size_t i = 0; i < calls.size(); ++i)
      if (starts_with(calls[i], prefix) && (name.empty() || value_of(calls[i], "--name") == name)) return i;
    FAIL("no call " << join(prefix) << " " << name);
    return 0;
  };
  auto create_of = [&](const egress::ir::Resource& r) -> std::size_t {
    switch (r.kind) {
      case egress::ir::Kind::public_ip: return first({"az", "network", "public-ip", "create"}, r.name.value);
      case egress::ir::Kind::identity: return first({"az", "identity", "create"}, r.name.value);
      case egress::ir::Kind::route_table: return first({"az", "network", "route-table", "create"}, r.name.value);
      case egress::ir::Kind::virtual_network: return first({"az", "network", "vnet", "create"}, r.name.value);
      case egress::ir::Kind::firewall: return first({"az", "network", "firewall", "create"}, r.name.value);
      case egress::ir::Kind::managed_cluster: return first({"az", "aks", "create"}, r.name.value);
      case egress::ir::Kind::vnet_peering: return first({"az", "network", "vnet", "peering", "create"}, r.name.value);
      case egress::ir::Kind::role_assignment: break;  // made by `az aks create` itself
      case egress::ir::Kind::ip_group: return first({"az", "resource", "create"}, r.name.value);
      case egress::ir::Kind::firewall_policy: return first({"az", "network", "firewall", "policy", "create"}, r.name.value);
      case egress::ir::Kind::rule_collection_group:
        return first({"az", "network", "firewall", "policy", "rule-collection-group", "create"}, r.name.value);
      case egress::ir::Kind::nat_gateway: return first({"az", "network", "nat", "gateway", "create"}, r.name.value);
    }
    return 0;
  };
  CHECK(first({"az", "group", "create"}) == 0);
  for (const auto& r : d.resources) {
    if (r.kind == egress::ir::Kind::role_assignment) continue;
    for (auto dep : r.depends_on) {
      if (d.resources[dep].kind == egress::ir::Kind::role_assignment) continue;
      INFO(r.symbol << " depends on " << d.resources[dep].symbol);
      CHECK(create_of(d.resources[dep]) < create_of(r));
    }
  }
  auto aks = first({"az", "aks", "create"});
  auto fw_show = first({"az", "network", "firewall", "show"});
  auto routes = find_calls(calls, {"az", "network", "route-table", "route", "create"});
  REQUIRE(routes.size() == 2);
  CHECK(fw_show < routes[0]);  // the next hop is the firewall's private IP, read back from Azure
  CHECK(first({"az", "network", "firewall", "ip-config", "create"}) < fw_show);
  CHECK(first({"az", "extension", "add"}) < first({"az", "network", "firewall", "create"}));
  auto update = first({"az", "network", "vnet", "subnet", "update"});
  CHECK(routes[1] < update);
  CHECK(update < first({"az", "network", "vnet", "subnet", "show"}));
  CHECK(first({"az", "network", "vnet", "subnet", "show"}) < aks);
  for (auto i : find_calls(calls, {"az", "network", "firewall", "network-rule"})) CHECK(i < aks);
  for (auto i : find_calls(calls, {"az", "network", "firewall", "application-rule"})) CHECK(i < aks);
  auto creds = first({"az", "aks", "get-credentials"});
  auto apply = first({"kubectl", "apply"});
  CHECK(aks < creds);
  CHECK(creds < apply);
  CHECK(apply < first({"az", "network", "firewall", "nat-rule", "create"}));
  CHECK(first({"az", "network", "firewall", "nat-rule", "create"}) == calls.size() - 1);  // DNAT last
}

TEST_CASE("azcli: no name, FQDN or parameter can run as code, and every value arrives intact", "[azcli][quoting]") {
  const std::string evil =
      "it's \"q\" $(touch pwned1) `touch pwned2` ; touch pwned3 && touch pwned4 | cat # x\n"
      "\tline2 \xC3\xBCn\xC3\xAF \xE2\x9C\x93 \\ ${HOME} $HOME * ? [a] ~ ! } { ' \\' \\ cr\r esc\x1B[31m del\x7F" "1";
  auto d = article_ir();
  d.params[1].default_value = "pre" + evil;
  d.params.push_back({"path", egress::ir::ParamType::string, "/nowhere"});  // must not clobber $PATH
  d.params.push_back({"kubeconfig", egress::ir::ParamType::string, "/nowhere"});
  d.group_name = interp({{true, "prefix"}, {false, "-rg" + evil}, {true, "path"}, {true, "kubeconfig"}}, "x");
  d.resources[0].name = egress::ir::Text::literal("pip" + evil);
  auto& vnet = std::get<egress::ir::VirtualNetwork>(d.resources[2].body);
  vnet.subnets[0].name = egress::ir::Text::literal("sub" + evil);
  auto& fw = std::get<egress::ir::Firewall>(d.resources[3].body);
  fw.network_collections[0].name = "col" + evil;
  fw.network_collections[0].rules[0].name = "rule" + evil;
  fw.network_collections[0].rules[1].name = "-dash" + evil;  // would read as an option if not bound with '='
  fw.network_collections[0].rules[2].destination_fqdns = {"fq" + evil, "plain.example.com"};
  fw.nat_collections[0].rules[0].name = "nat" + evil;
  d.apps[0].symbol = "app" + evil;
  auto o = opts("st'em $(touch pwned5) `x`");
  o.version = "1.0\n$(touch pwned6)\n";
  auto script = egress::emit::azcli(d, o);
  // Control characters are escapes of $'...' words, never raw bytes of the script (found by fuzz_compile).
  CHECK(script.find('\r') == std::string::npos);
  CHECK(script.find('\x1B') == std::string::npos);
  CHECK(script.find('\x7F') == std::string::npos);

  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  auto calls = record(dir, o.stem, script);
  for (int i = 1; i <= 6; ++i) CHECK_FALSE(exists(dir + "/run/pwned" + std::to_string(i)));
  CHECK_FALSE(exists(dir + "/pwned1"));

  const std::string prefix = "pre" + evil;
  const std::string rg = prefix + "-rg" + evil + "/nowhere/nowhere";
  auto group = find_calls(calls, {"az", "group", "create"});
  REQUIRE(group.size() == 1);
  CHECK(calls[group[0]] == Argv{"az", "group", "create", "--name", rg, "--location", "eastus"});
  auto pip = find_calls(calls, {"az", "network", "public-ip", "create"});
  REQUIRE(pip.size() == 1);
  CHECK(value_of(calls[pip[0]], "--name") == "pip" + evil);
  CHECK(value_of(calls[pip[0]], "--resource-group") == rg);
  auto vnet_create = find_calls(calls, {"az", "network", "vnet", "create"});
  REQUIRE(vnet_create.size() == 1);
  CHECK(value_of(calls[vnet_create[0]], "--subnet-name") == "sub" + evil);
  auto rules = find_calls(calls, {"az", "network", "firewall", "network-rule", "create"});
  REQUIRE(rules.size() == 5);
  CHECK(value_of(calls[rules[0]], "--collection-name") == "col" + evil);
  CHECK(value_of(calls[rules[0]], "--name") == "rule" + evil);
  CHECK(value_of(calls[rules[0]], "--destination-addresses") == "AzureCloud.eastus");
  CHECK(std::count(calls[rules[1]].begin(), calls[rules[1]].end(), "--name=-dash" + evil) == 1);
  const auto& time_rule = calls[rules[2]];
  auto fq = std::find(time_rule.begin(), time_rule.end(), "--destination-fqdns");
  REQUIRE(fq + 2 < time_rule.end());
  CHECK(*(fq + 1) == "fq" + evil);
  CHECK(*(fq + 2) == "plain.example.com");
  auto nat = find_calls(calls, {"az", "network", "firewall", "nat-rule", "create"});
  REQUIRE(nat.size() == 1);
  CHECK(value_of(calls[nat[0]], "--name") == "nat" + evil);
  auto apply = find_calls(calls, {"kubectl", "apply"});
  REQUIRE(apply.size() == 1);
  CHECK(value_of(calls[apply[0]], "-f") == dir + "/run/" + o.stem + ".yaml");

  // The variable block alone, read back: the assignments hold exactly the input.
  auto cut = script.find("\nrequire_value() {");
  REQUIRE(cut != std::string::npos);
  std::string block = script.substr(0, cut);
  write_file(dir + "/vars.sh", block +
                                   "\nprintf '%s\\037' \"$PREFIX\" \"$RG\" \"$FWPIP_NAME\" \"$EGRESS_PATH\" \"$EGRESS_KUBECONFIG\""
                                   " \"${PATH:0:1}\"\n");
  auto r = run("cd " + dir + " && env -u PREFIX -u EGRESS_PATH -u EGRESS_KUBECONFIG bash vars.sh");
  REQUIRE(r.status == 0);
  std::vector<std::string> vals;
  std::string cur;
  for (char c : r.out) {
    if (c == '\037') {
      vals.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  REQUIRE(vals.size() == 6);
  CHECK(vals[0] == prefix);
  CHECK(vals[1] == rg);
  CHECK(vals[2] == "pip" + evil);
  CHECK(vals[3] == "/nowhere");
  CHECK(vals[4] == "/nowhere");
  CHECK(vals[5] == "/");  // PATH itself untouched

  if (have("shellcheck")) {
    write_file(dir + "/hostile.sh", script);
    auto sc = run("shellcheck -s bash " + dir + "/hostile.sh");
    INFO(sc.out);
    CHECK(sc.status == 0);
  } else {
    WARN("shellcheck not installed: the hostile script was not linted");
  }
}

TEST_CASE("azcli: identities, a dynamic public IP, several apps", "[azcli]") {
  using namespace egress::ir;
  auto d = article_ir();
  d.resources.insert(d.resources.begin(), Resource{Kind::identity, "cpid", Text::literal("cp-id"), {}, Identity{}});
  d.resources.insert(d.resources.begin() + 1, Resource{Kind::identity, "kid", Text::literal("kubelet-id"), {}, Identity{}});
  // Shift every index by two.
  auto shift = [](Index& i) { i += 2; };
  for (std::size_t r = 2; r < d.resources.size(); ++r) {
    for (auto& dep : d.resources[r].depends_on) shift(dep);
    std::visit(
        [&](auto& body) {
          using T = std::decay_t<decltype(body)>;
          auto fix = [&](Address& a) {
            if (a.kind == Address::Kind::public_ip) shift(a.public_ip);
          };
          if constexpr (std::is_same_v<T, RouteTable>) {
            for (auto& rt : body.routes) fix(rt.prefix);
          } else if constexpr (std::is_same_v<T, VirtualNetwork>) {
            for (auto& s : body.subnets)
              if (s.route_table) shift(*s.route_table);
          } else if constexpr (std::is_same_v<T, Firewall>) {
            for (auto& c : body.ip_configurations) {
              shift(c.public_ip);
              if (c.subnet) shift(c.subnet->vnet);
            }
            for (auto& col : body.nat_collections)
              for (auto& rule : col.rules) fix(rule.destination);
          } else if constexpr (std::is_same_v<T, ManagedCluster>) {
            shift(body.subnet.vnet);
            for (auto& p : body.pools) shift(p.subnet.vnet);
            for (auto& a : body.authorized_ranges) fix(a);
          }
        },
        d.resources[r].body);
  }
  std::get<PublicIp>(d.resources[2].body).allocation = "Dynamic";
  auto& mc = std::get<ManagedCluster>(d.resources[6].body);
  mc.control_plane_identity = 0;
  mc.kubelet_identity = 1;
  mc.network_plugin = "kubenet";
  mc.pod_cidr = "10.244.0.0/16";
  d.resources[6].depends_on = {0, 1, 2, 4, 5};
  for (auto& app : d.apps) app.cluster = 6;
  auto second = d.apps[0];
  second.symbol = "extra";
  second.ns = "shop";
  d.apps.push_back(second);

  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  auto calls = record(dir, "main", egress::emit::azcli(d, opts()), "/subscriptions/s/resourceGroups/g/x");
  auto ids = find_calls(calls, {"az", "identity", "create"});
  REQUIRE(ids.size() == 2);
  CHECK(calls[ids[0]] == Argv{"az", "identity", "create", "--resource-group", "aks-egress-rg", "--name", "cp-id",
                              "--location", "eastus", "--query", "id", "-o", "tsv"});
  auto aks = find_calls(calls, {"az", "aks", "create"});
  REQUIRE(aks.size() == 1);
  CHECK(ids[1] < aks[0]);
  CHECK(value_of(calls[aks[0]], "--assign-identity") == "/subscriptions/s/resourceGroups/g/x");
  CHECK(value_of(calls[aks[0]], "--assign-kubelet-identity") == "/subscriptions/s/resourceGroups/g/x");
  CHECK(value_of(calls[aks[0]], "--network-plugin") == "kubenet");
  CHECK(value_of(calls[aks[0]], "--pod-cidr") == "10.244.0.0/16");
  // A dynamic address exists only once the firewall uses the IP: it is read after the ip-config.
  auto pip_show = find_calls(calls, {"az", "network", "public-ip", "show"});
  REQUIRE(pip_show.size() == 1);
  CHECK(find_calls(calls, {"az", "network", "firewall", "ip-config", "create"}).at(0) < pip_show[0]);
  CHECK(pip_show[0] < find_calls(calls, {"az", "network", "route-table", "route", "create"}).at(1));
  // Two apps in one YAML file: each apply selects its own objects.
  auto applies = find_calls(calls, {"kubectl", "apply"});
  REQUIRE(applies.size() == 2);
  CHECK(value_of(calls[applies[0]], "--selector") == "app.kubernetes.io/part-of=store");
  CHECK(value_of(calls[applies[1]], "--selector") == "app.kubernetes.io/part-of=extra");
}

TEST_CASE("azcli: shellcheck and the az argument checker accept the article's script", "[azcli][validators]") {
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  write_file(dir + "/main.sh", egress::emit::azcli(article_ir(), opts()));
  write_file(dir + "/main.yaml", egress::emit::k8s(article_ir(), opts()));
  if (have("shellcheck")) {
    auto sc = run("shellcheck -s bash " + dir + "/main.sh");
    INFO(sc.out);
    CHECK(sc.status == 0);
    CHECK(sc.out.empty());
  } else {
    WARN("shellcheck not installed: skipped");
  }
  std::string checker = egress::testing::source_dir() + "/build/validators/az_check.sh";
  if (!exists(checker)) {
    WARN("az_check.sh not found at " << checker << ": skipped (run shared/validators/setup.sh build/validators)");
    return;
  }
  // Strict: an abbreviated option would be a rejection.
  auto r = run("AZ_CHECK_STRICT=1 " + checker + " " + dir + "/main.sh");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find(" 0 rejected") != std::string::npos);
  CHECK(r.out.find("REJECTED  az") == std::string::npos);
  CHECK(r.out.find("abbreviated") == std::string::npos);
  CHECK(r.out.find("shellcheck: no issues") != std::string::npos);
  // Everything but the firewall's extension commands is judged and accepted.
  std::istringstream lines(r.out);
  std::string line;
  int unchecked = 0, accepted = 0;
  while (std::getline(lines, line)) {
    if (line.find("unchecked az ") != std::string::npos) {
      ++unchecked;
      CHECK(line.find("az network firewall") != std::string::npos);
    }
    if (line.find("accepted  az ") != std::string::npos) ++accepted;
  }
  CHECK(accepted >= 12);
  if (r.out.find("the script exited with status") != std::string::npos)
    WARN("az_check.sh: the script stopped early under the recorder (are its kubectl/curl shims executable?)");
}

TEST_CASE("azcli: peerings become commands, role assignments are left to az aks create", "[azcli]") {
  using namespace egress::ir;
  auto d = article_ir();
  VirtualNetwork hub;
  hub.address_prefixes = {"10.50.0.0/16"};
  hub.subnets.push_back({Text::literal("shared"), "10.50.1.0/24", std::nullopt, std::nullopt, {}});
  d.resources.push_back({Kind::virtual_network, "hub", interp({{true, "prefix"}, {false, "-hub"}}, "aks-egress-hub"), {}, hub});
  d.resources.push_back({Kind::vnet_peering, "vnet_to_hub", Text::literal("vnet-to-hub"), {2, 5}, VnetPeering{2, 5, true, true, false, false}});
  d.resources.push_back({Kind::vnet_peering, "hub_to_vnet", Text::literal("hub-to-vnet"), {2, 5}, VnetPeering{5, 2, true, true, false, false}});
  d.resources.push_back({Kind::role_assignment, "aks_network", Text{}, {2, 4},
                         RoleAssignment{"Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7", 4, 2}});
  TempDir tmp;
  REQUIRE(!tmp.path.empty());
  const std::string dir = tmp.path.string();
  auto script = egress::emit::azcli(d, opts());
  auto calls = record(dir, "main", script);
  auto peerings = find_calls(calls, {"az", "network", "vnet", "peering", "create"});
  REQUIRE(peerings.size() == 2);
  CHECK(calls[peerings[0]] == Argv{"az", "network", "vnet", "peering", "create", "--resource-group", "aks-egress-rg",
                                   "--name", "vnet-to-hub", "--vnet-name", "aks-egress-vnet", "--remote-vnet",
                                   "aks-egress-hub", "--allow-vnet-access", "--allow-forwarded-traffic"});
  CHECK(value_of(calls[peerings[1]], "--vnet-name") == "aks-egress-hub");
  auto hub_create = find_calls(calls, {"az", "network", "vnet", "create"});
  REQUIRE(hub_create.size() == 2);
  CHECK(hub_create[1] < peerings[0]);
  CHECK(find_calls(calls, {"az", "role"}).empty());
  CHECK(script.find("AKS_NETWORK") == std::string::npos);  // no variable for the role assignment's empty name
  if (have("shellcheck")) {
    write_file(dir + "/peer.sh", script);
    auto sc = run("shellcheck -s bash " + dir + "/peer.sh");
    INFO(sc.out);
    CHECK(sc.status == 0);
  }
}
