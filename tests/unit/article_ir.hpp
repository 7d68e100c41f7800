// A hand-built IR of the article, for emitter unit tests that must not depend on the front end.
// Mirrors examples/aks-egress/main.egress.
#pragma once
#include "lower/ir.hpp"

namespace egress::testing {

inline ir::Text interp(std::initializer_list<std::pair<bool, std::string>> parts, std::string value) {
  ir::Text t;
  for (const auto& [param, text] : parts) t.parts.push_back({param, text});
  t.value = std::move(value);
  return t;
}

inline ir::Deployment article_ir() {
  using namespace ir;
  Deployment d;
  d.params = {{"location", ParamType::region, "eastus"}, {"prefix", ParamType::string, "aks-egress"}};
  d.group_symbol = "rg";
  d.group_name = interp({{true, "prefix"}, {false, "-rg"}}, "aks-egress-rg");
  d.location = interp({{true, "location"}}, "eastus");

  // 0: public IP
  d.resources.push_back({Kind::public_ip, "fwpip", interp({{true, "prefix"}, {false, "-fwpublicip"}}, "aks-egress-fwpublicip"), {}, PublicIp{}});
  // 1: route table (its internet route needs the public IP's address)
  RouteTable rt;
  rt.routes.push_back({interp({{true, "prefix"}, {false, "-fwrn"}}, "aks-egress-fwrn"), Address::text(Text::literal("0.0.0.0/0")), "VirtualAppliance", "10.42.2.4"});
  rt.routes.push_back({interp({{true, "prefix"}, {false, "-fwinternet"}}, "aks-egress-fwinternet"), Address::of_public_ip(0, 32), "Internet", ""});
  d.resources.push_back({Kind::route_table, "fwrt", interp({{true, "prefix"}, {false, "-fwrt"}}, "aks-egress-fwrt"), {0}, rt});
  // 2: vnet
  VirtualNetwork vnet;
  vnet.address_prefixes = {"10.42.0.0/16"};
  vnet.subnets.push_back({Text::literal("aks-subnet"), "10.42.1.0/24", 1, std::nullopt, {}});
  vnet.subnets.push_back({Text::literal("AzureFirewallSubnet"), "10.42.2.0/24", std::nullopt, std::nullopt, {}});
  d.resources.push_back({Kind::virtual_network, "vnet", interp({{true, "prefix"}, {false, "-vnet"}}, "aks-egress-vnet"), {1}, vnet});
  // 3: firewall
  Firewall fw;
  fw.dns_proxy = true;
  fw.private_ip = "10.42.2.4";
  fw.ip_configurations.push_back({interp({{true, "prefix"}, {false, "-fwconfig"}}, "aks-egress-fwconfig"), 0, SubnetRef{2, 1}});
  auto any = std::vector<Address>{Address::text(Text::literal("*"))};
  Collection<NetworkRule> nr{"aksfwnr", 100, "Allow", {}};
  auto cloud = Address::text(interp({{false, "AzureCloud."}, {true, "location"}}, "AzureCloud.eastus"));
  nr.rules.push_back({"apiudp", {"UDP"}, any, {cloud}, {}, {"1194"}, {}, {}});
  nr.rules.push_back({"apitcp", {"TCP"}, any, {cloud}, {}, {"9000"}, {}, {}});
  nr.rules.push_back({"time", {"UDP"}, any, {}, {"ntp.ubuntu.com"}, {"123"}, {}, {}});
  nr.rules.push_back({"ghcr", {"TCP"}, any, {}, {"ghcr.io", "pkg-containers.githubusercontent.com"}, {"443"}, {}, {}});
  nr.rules.push_back({"docker", {"TCP"}, any, {}, {"docker.io", "registry-1.docker.io", "production.cloudflare.docker.com"}, {"443"}, {}, {}});
  fw.network_collections.push_back(nr);
  Collection<ApplicationRule> ar{"aksfwar", 100, "Allow", {}};
  ar.rules.push_back({"fqdn", {{"Http", 80}, {"Https", 443}}, any, {}, {"AzureKubernetesService"}, {}, {}, {}, false, {}});
  fw.application_collections.push_back(ar);
  Collection<NatRule> nat{"dnat", 100, "Dnat", {}};
  nat.rules.push_back({"store-front-80", {"TCP"}, any, Address::of_public_ip(0, -1), "80", "10.42.1.254", "80", {}});
  fw.nat_collections.push_back(nat);
  d.resources.push_back({Kind::firewall, "fw", interp({{true, "prefix"}, {false, "-fw"}}, "aks-egress-fw"), {0, 2}, fw});
  // 4: cluster (created after the route table is on its subnet, i.e. after the vnet)
  ManagedCluster mc;
  mc.dns_prefix = interp({{true, "prefix"}}, "aks-egress");
  AgentPool pool;  // the implicit nodepool1: System, Linux, 3 nodes, 30 pods (Azure CNI's default)
  pool.name = "nodepool1";
  pool.implicit = true;
  pool.vm_size = Text::literal("Standard_DS2_v2");
  pool.subnet = SubnetRef{2, 0};
  mc.pools.push_back(pool);
  mc.outbound_type = "userDefinedRouting";
  mc.subnet = SubnetRef{2, 0};
  mc.authorized_ranges.push_back(Address::of_public_ip(0, 32));
  mc.generate_ssh_keys = true;
  d.resources.push_back({Kind::managed_cluster, "aks", interp({{true, "prefix"}}, "aks-egress"), {0, 2, 3}, mc});

  KubeApp app;
  app.symbol = "store";
  app.cluster = 4;
  app.config_maps.push_back({"rabbitmq-enabled-plugins", {{"enabled_plugins", "[rabbitmq_management,rabbitmq_prometheus,rabbitmq_amqp1_0]."}}});
  KubeWorkload rabbit{"StatefulSet", "rabbitmq", "mcr.microsoft.com/mirror/docker/library/rabbitmq:3.10-management-alpine", 1,
                      {{"amqp", 5672}, {"http", 15672}}, {{"RABBITMQ_DEFAULT_USER", "username"}, {"RABBITMQ_DEFAULT_PASS", "password"}},
                      {{"rabbitmq-enabled-plugins", "rabbitmq-enabled-plugins", "/etc/rabbitmq/enabled_plugins", "enabled_plugins"}},
                      {}, "", "10m", "128Mi", "250m", "256Mi"};
  app.workloads.push_back(rabbit);
  KubeWorkload order{"Deployment", "order-service", "ghcr.io/azure-samples/aks-store-demo/order-service:latest", 1,
                     {{"", 3000}}, {{"ORDER_QUEUE_HOSTNAME", "rabbitmq"}, {"ORDER_QUEUE_PORT", "5672"}},
                     {}, {{"wait-for-rabbitmq", "busybox:1.36", {"sh", "-c", "until nc -zv rabbitmq 5672; do echo waiting for rabbitmq; sleep 2; done"}}},
                     "/health", "1m", "50Mi", "75m", "128Mi"};
  app.workloads.push_back(order);
  KubeWorkload front{"Deployment", "store-front", "ghcr.io/azure-samples/aks-store-demo/store-front:latest", 1,
                     {{"", 8080}}, {{"VUE_APP_ORDER_SERVICE_URL", "http://order-service:3000/"}}, {}, {}, "/health", "1m", "200Mi", "1000m", "512Mi"};
  app.workloads.push_back(front);
  app.services.push_back({"rabbitmq", "ClusterIP", false, "", "rabbitmq", {{"amqp", 5672, 5672, "TCP"}, {"http", 15672, 15672, "TCP"}}, ""});
  app.services.push_back({"order-service", "ClusterIP", false, "", "order-service", {{"port-3000", 3000, 3000, "TCP"}}, ""});
  app.services.push_back({"store-front", "LoadBalancer", true, "10.42.1.254", "store-front", {{"port-80", 80, 8080, "TCP"}}, ""});
  d.apps.push_back(app);
  return d;
}

}  // namespace egress::testing
