// The language server and NAT gateways: completion in a subnet's and a NAT gateway's block, hover on the
// declaration, on a subnet's reference to it and on its settings, and references from subnets. On
// examples/nat-gateway, driven in process by Session (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "lsp/text.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

TEST_CASE("lsp: NAT gateways", "[lsp][nat]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/nat-gateway.egress";
  const std::string text = slurp(source_dir() + "/examples/nat-gateway/main.egress").value();
  s.open(uri, text);

  const auto ng = s.hover_text(uri, pos_of(text, "nat_gateway natgw \"", 0, 13));
  INFO(ng);
  CHECK(ng.find("**NAT gateway** `natgw`") != std::string::npos);
  CHECK(ng.find("`aks-natgw-natgw`") != std::string::npos);
  CHECK(ng.find("idle timeout 10 minutes") != std::string::npos);
  CHECK(ng.find("`natpip1` and `natpip2` (129,024 SNAT ports)") != std::string::npos);
  CHECK(ng.find("Attached to `vnet.AzureFirewallSubnet`") != std::string::npos);
  // The same from the subnet's reference.
  CHECK(s.hover_text(uri, pos_of(text, "< nat_gateway natgw", 0, 15)) == ng);
  // The subnet says where its traffic leaves.
  const auto subnet = s.hover_text(uri, pos_of(text, "subnet AzureFirewallSubnet", 0, 8));
  CHECK(subnet.find("NAT gateway `natgw`") != std::string::npos);
  // Keywords explain themselves.
  CHECK(s.hover_text(uri, pos_of(text, "idle_timeout 10", 0, 2)).find("4 to 120 minutes") != std::string::npos);

  // References: the declaration and the subnet's use; a NAT gateway's public IPs point to their declarations.
  const auto refs = s.at("textDocument/references", uri, pos_of(text, "nat_gateway natgw \"", 0, 13),
                         {{"context", {{"includeDeclaration", true}}}});
  CHECK(refs.size() == 2);
  const auto def = s.at("textDocument/definition", uri, pos_of(text, "public_ip natpip1, natpip2", 0, 21));
  CHECK(line_of(def.is_array() ? def[0] : def) == line_of_text(text, "public_ip natpip2 \""));

  // Completion: the keywords of the blocks, and the names they take.
  auto complete = [&](const std::string& with, const std::string& marker) {
    const auto at = with.find(marker);
    REQUIRE(at != std::string::npos);
    std::string t = with;
    t.erase(at, marker.size());
    s.replace_all(uri, 2, t);
    return labels(s.at("textDocument/completion", uri, LineIndex(t).position(static_cast<std::uint32_t>(at))));
  };
  auto top = complete(text + "\n|", "|");
  CHECK(has(top, "nat_gateway"));
  auto in_subnet = complete(text + "\nvnet vnet <\n  subnet x 10.42.3.0/24 <\n    |\n  >\n>\n", "|");
  CHECK(has(in_subnet, "nat_gateway"));
  CHECK(has(in_subnet, "route_table"));
  auto in_ng = complete(text + "\nnat_gateway natgw <\n  |\n>\n", "|");
  CHECK(has(in_ng, "public_ip"));
  CHECK(has(in_ng, "idle_timeout"));
  auto gateways = complete(text + "\nvnet vnet <\n  subnet x 10.42.3.0/24 < nat_gateway | >\n>\n", "|");
  CHECK(has(gateways, "natgw"));
  auto ips = complete(text + "\nnat_gateway natgw <\n  public_ip |\n>\n", "|");
  CHECK(has(ips, "natpip1"));
  CHECK(has(ips, "fwpip"));
}
