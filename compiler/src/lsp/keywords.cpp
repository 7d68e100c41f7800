// The keyword tables of the language server.
#include "lsp/keywords.hpp"

#include <array>

namespace egress::lsp {

namespace {

struct Entry {
  std::string_view context;  // the enclosing block's head; "" top level; "*" any
  KeywordInfo info;
};

// Statements, by the block they appear in.
constexpr std::array kStatements = {
    Entry{"", {"import", "import MODULE | import \"path/to/file.egress\"",
               "Loads a stdlib module (`aks`: the flows every AKS cluster needs) or another file of yours."}},
    Entry{"", {"param", "param NAME: string|int|region|bool|cidrs [= DEFAULT]",
               "A parameter; use it as `${NAME}` in strings and words, or as a bare word; an int as a count "
               "(`nodes NAME`), a bool in `when NAME`/`unless NAME`, a cidrs list where addresses go."}},
    Entry{"", {"env", "env NAME < PARAM VALUE; ... >",
               "One set of parameter values (dev, prod ...). `egressc build --env NAME` checks the program with "
               "them and writes <stem>.NAME.parameters.json and <stem>.NAME.bicepparam; `egressc check` checks every env."}},
    Entry{"", {"profile", "profile production|development",
               "`production` turns on stricter capacity advice (frontend IPs, SNAT ports)."}},
    Entry{"", {"group", "group NAME [\"azure-name\"] in LOCATION",
               "The resource group everything is deployed into, and its region. A program has exactly one."}},
    Entry{"", {"vnet", "vnet NAME [\"azure-name\"] CIDR[, CIDR...] [< subnet ... >]",
               "A virtual network with its address space; its subnets are declared in its block."}},
    Entry{"", {"public_ip", "public_ip NAME [\"azure-name\"] [< sku standard|basic; allocation static|dynamic; zones 1, 2, 3 >]",
               "A public IP address. A firewall's frontend needs a Standard, static one."}},
    Entry{"", {"firewall", "firewall NAME [\"azure-name\"] in VNET.AzureFirewallSubnet [< ... >]",
               "An Azure Firewall in its own subnet, with frontends, rule collections and DNAT rules. "
               "`firewall NAME < ... >` reopens it to add more."}},
    Entry{"", {"ip_group", "ip_group NAME [\"azure-name\"] ADDRESS|PREFIX|VNET.SUBNET[, ...]",
               "An IP group (Microsoft.Network/ipGroups): addresses named once, used as sources of firewall rules "
               "and destinations of network rules. The checks treat it as its addresses."}},
    Entry{"", {"firewall_policy", "firewall_policy NAME [\"azure-name\"] [< tier ...; base ...; dns_proxy ...; threat_intel ...; idps ...; tls_inspection ...; rule_group ... >]",
               "A Firewall Policy: the settings and rules of the firewalls that name it with `policy NAME`. "
               "A firewall uses a policy or classic rules, never both."}},
    Entry{"", {"nat_gateway", "nat_gateway NAME [\"azure-name\"] < public_ip PIP[, PIP...]; idle_timeout MINUTES >",
               "A NAT gateway (Microsoft.Network/natGateways, Standard): up to 16 Standard static public IPs, 64,512 "
               "SNAT ports each. Attach it with `nat_gateway NAME` in a subnet's block; on AzureFirewallSubnet the "
               "firewall's outbound traffic uses its IPs."}},
    Entry{"", {"rule_set", "rule_set NAME [PARAM, ...] < network|application|nat ...; use ... > | rule_set NAME CLUSTER from requirement REQ [required|recommended]",
               "Rule collections written once: `use NAME ARG, ...` places them in a firewall, a policy's `rule_group` "
               "or another rule set, each PARAM standing for its argument (an endpoint). `from requirement` derives "
               "them from the stdlib's requirement rows for a cluster."}},
    Entry{"", {"route_table", "route_table NAME [\"azure-name\"] [< route ... >]",
               "User-defined routes; associate the table with a subnet by `route_table NAME` in the subnet's block."}},
    Entry{"", {"identity", "identity NAME [\"azure-name\"]", "A user-assigned managed identity for a cluster."}},
    Entry{"", {"cluster", "cluster NAME [\"azure-name\"] in VNET.SUBNET [< ... >]",
               "An AKS cluster whose nodes run in the subnet."}},
    Entry{"", {"app", "app NAME on CLUSTER [< ... >]",
               "Kubernetes workloads, services and config maps that run on a cluster."}},
    Entry{"", {"requirement", "requirement NAME \"title\" < network|application ... >",
               "Flows a cluster must be able to make (stdlib data)."}},
    Entry{"", {"registry", "registry \"name\" [alias \"other\"...] < pull \"host\" [or \"host\"...] \"why\" >",
               "The hosts an image pull from a registry contacts (stdlib data, stdlib/registries.egress)."}},
    Entry{"", {"fqdn_tag_covers", "fqdn_tag_covers TAG \"fqdn\"[, \"fqdn\"...]",
               "The FQDNs an Azure Firewall FQDN tag covers (stdlib data, loaded whatever the program imports)."}},
    Entry{"", {"regions", "regions NAME[, NAME...]", "The Azure regions the compiler knows (stdlib data)."}},
    Entry{"", {"service_tags", "service_tags NAME[, NAME...]", "The service tags the compiler knows (stdlib data)."}},
    Entry{"", {"fqdn_tags", "fqdn_tags NAME[, NAME...]", "The FQDN tags the compiler knows (stdlib data)."}},

    Entry{"vnet", {"subnet", "subnet NAME [\"azure-name\"] CIDR [< route_table NAME; nat_gateway NAME >]",
                   "A subnet of the VNet; refer to it as `VNET.NAME`. Azure reserves 5 addresses of each."}},
    Entry{"vnet", {"peer", "peer VNET [< virtual_network_access allow|deny; forwarded_traffic allow|deny; gateway_transit allow|deny; use_remote_gateways >]",
                   "Peers this VNet with another: both directions are created, this VNet's side with the settings in "
                   "the block (the other side's are written in its own `peer`, or take the defaults: access and "
                   "forwarded traffic allowed, no gateway transit)."}},
    Entry{"peer", {"virtual_network_access", "virtual_network_access allow|deny",
                   "allowVirtualNetworkAccess of this side: traffic from this VNet flows to the peered one (default allow)."}},
    Entry{"peer", {"forwarded_traffic", "forwarded_traffic allow|deny",
                   "allowForwardedTraffic of this side: traffic an appliance in the peered VNet forwards (a hub firewall's "
                   "replies, other spokes) may enter this VNet (default allow)."}},
    Entry{"peer", {"gateway_transit", "gateway_transit allow|deny",
                   "allowGatewayTransit: the peered VNet may use this VNet's VPN/ExpressRoute gateway or Route Server "
                   "(needs a `GatewaySubnet`; the gateway is created outside egress). Default deny."}},
    Entry{"peer", {"use_remote_gateways", "use_remote_gateways",
                   "useRemoteGateways: this VNet uses the peered VNet's gateway, which must allow gateway transit. One "
                   "peering per VNet at most."}},
    Entry{"vnet", {"dns_servers", "dns_servers IP[, IP...]",
                   "Custom DNS servers of the VNet (dhcpOptions.dnsServers): its clusters must reach them on UDP 53."}},
    Entry{"subnet", {"route_table", "route_table NAME", "Associates a route table with the subnet (at most one)."}},
    Entry{"subnet", {"nat_gateway", "nat_gateway NAME",
                     "Associates a NAT gateway with the subnet (at most one; not GatewaySubnet): its Internet traffic "
                     "leaves from the NAT gateway's public IPs."}},
    Entry{"nat_gateway", {"public_ip", "public_ip PIP[, PIP...]",
                          "The NAT gateway's public IPs: Standard, static, at most 16 (64,512 SNAT ports each)."}},
    Entry{"nat_gateway", {"idle_timeout", "idle_timeout MINUTES",
                          "The TCP idle timeout, 4 to 120 minutes (default 4)."}},
    Entry{"public_ip", {"sku", "sku standard|basic", "The public IP's SKU (default standard)."}},
    Entry{"public_ip", {"allocation", "allocation static|dynamic", "How the address is allocated (default static)."}},
    Entry{"public_ip", {"zones", "zones 1, 2, 3",
                        "The availability zones of the address (one zone: zonal; several: zone-redundant). Only in "
                        "regions with zones."}},
    Entry{"route_table", {"route", "route NAME [\"azure-name\"] PREFIX -> internet|vnet_local|virtual_network_gateway|none|FIREWALL|IP",
                          "A user-defined route; `-> FIREWALL` sends traffic to the firewall's private IP."}},
    Entry{"route_table", {"bgp_propagation", "bgp_propagation on|off", "Whether gateway routes are propagated (default on)."}},

    Entry{"firewall", {"sku", "sku basic|standard|premium", "The firewall's tier (default standard)."}},
    Entry{"firewall", {"dns_proxy", "dns_proxy on|off", "The firewall's DNS proxy; FQDNs in network rules need it."}},
    Entry{"firewall", {"threat_intel", "threat_intel off|alert|deny", "Threat-intelligence filtering (default alert)."}},
    Entry{"firewall", {"policy", "policy FIREWALL_POLICY",
                       "Configures the firewall with a Firewall Policy: its rules, DNS proxy and threat intelligence "
                       "are the policy's (no classic collections or settings then)."}},
    Entry{"firewall_policy", {"tier", "tier basic|standard|premium", "The policy's tier (default standard)."}},
    Entry{"firewall_policy", {"dns_proxy", "dns_proxy on|off", "The DNS proxy of the firewalls using the policy."}},
    Entry{"firewall_policy", {"threat_intel", "threat_intel off|alert|deny", "Threat-intelligence filtering (default alert)."}},
    Entry{"firewall_policy", {"base", "base FIREWALL_POLICY",
                              "The parent policy: its rule collections are processed before this policy's own (NAT "
                              "collections are not inherited)."}},
    Entry{"firewall_policy", {"idps", "idps off|alert|deny", "Intrusion detection and prevention (Premium)."}},
    Entry{"firewall_policy", {"idps_signature", "idps_signature SIGNATURE-ID off|alert|deny",
                              "Overrides the mode of one IDPS signature (Premium)."}},
    Entry{"firewall_policy", {"idps_bypass", "idps_bypass NAME tcp|udp|icmp|any SOURCES -> DESTINATIONS [: PORTS]",
                              "Traffic IDPS does not inspect (Premium): addresses, prefixes, subnets or IP groups."}},
    Entry{"firewall_policy", {"idps_private_ranges", "idps_private_ranges PREFIX|VNET.SUBNET[, ...]",
                              "The ranges IDPS counts as private, to tell inbound, outbound and internal traffic apart "
                              "(Premium; default: the RFC 1918 ranges)."}},
    Entry{"firewall_policy", {"tls_inspection", "tls_inspection keyvault_secret \"SECRET-ID\" identity IDENTITY [certificate \"NAME\"]",
                              "TLS inspection (Premium): the intermediate CA certificate in Key Vault and the "
                              "user-assigned identity that reads it."}},
    Entry{"firewall_policy", {"threat_intel_allow", "threat_intel_allow ADDRESS|\"FQDN\"[, ...]",
                              "Addresses and FQDNs that threat intelligence never alerts on or denies."}},
    Entry{"firewall_policy", {"dns_servers", "dns_servers IP[, IP...]", "Custom DNS servers of the firewalls using the policy."}},
    Entry{"firewall_policy", {"rule_group", "rule_group NAME priority N < network|application|nat ... >",
                              "A rule collection group: processed by priority (100-65000), before the collections' own."}},
    Entry{"rule_group", {"network", "network NAME priority N < allow|deny ... >", "A network rule collection."}},
    Entry{"rule_group", {"application", "application NAME priority N < allow|deny ... >", "An application rule collection."}},
    Entry{"rule_group", {"nat", "nat NAME priority N < dnat ... >", "A DNAT rule collection (its rules name their public IP with `to`)."}},
    Entry{"firewall", {"frontend", "frontend PUBLIC_IP [\"ip-configuration-name\"]",
                       "A public IP of the firewall: the source of its SNAT and the destination of its DNAT rules."}},
    Entry{"firewall", {"management", "management PUBLIC_IP [\"ip-configuration-name\"]",
                       "The management NIC: its public IP, in the VNet's AzureFirewallManagementSubnet (a /26). Basic "
                       "always needs it; Standard and Premium need it for forced tunnelling."}},
    Entry{"firewall", {"zones", "zones 1, 2, 3",
                       "The firewall's availability zones; its public IPs must be zone-redundant or in its one zone."}},
    Entry{"firewall", {"network", "network NAME priority N < allow|deny ... >",
                       "A network rule collection: protocols, addresses, service tags and ports."}},
    Entry{"firewall", {"application", "application NAME priority N < allow|deny ... >",
                       "An application rule collection: HTTP(S) and MSSQL to FQDNs and FQDN tags."}},
    Entry{"firewall", {"nat", "nat NAME priority N < dnat ... >", "A DNAT rule collection."}},
    Entry{"firewall", {"use", "use RULE_SET [ARG, ...] | use REQUIREMENT_SET CLUSTER [priority N]",
                       "Places a rule set's collections here, its parameters bound to the arguments."}},
    Entry{"rule_group", {"use", "use RULE_SET [ARG, ...] | use REQUIREMENT_SET CLUSTER [priority N]",
                         "Places a rule set's collections in this rule collection group."}},
    Entry{"rule_set", {"network", "network NAME priority N < allow|deny ... >", "A network rule collection of the set."}},
    Entry{"rule_set", {"application", "application NAME priority N < allow|deny ... >", "An application rule collection of the set."}},
    Entry{"rule_set", {"nat", "nat NAME priority N < dnat ... >", "A DNAT rule collection of the set."}},
    Entry{"rule_set", {"use", "use RULE_SET [ARG, ...]", "Places another rule set's collections in this one."}},
    Entry{"firewall", {"dnat", "dnat [NAME] [tcp|udp] [from SOURCES] [to PUBLIC_IP] PORT -> service \"NAME\" [: PORT] | -> IP : PORT",
                       "Publishes a port of the firewall's public IP: traffic to it is translated to a service or address."}},
    Entry{"network", {"allow", "allow NAME PROTOCOL[, PROTOCOL] SOURCES -> DESTINATIONS [: PORTS]", "Allows matching traffic."}},
    Entry{"network", {"deny", "deny NAME PROTOCOL[, PROTOCOL] SOURCES -> DESTINATIONS [: PORTS]",
                      "Denies matching traffic (a collection is all allow or all deny)."}},
    Entry{"application", {"allow", "allow NAME http:80, https:443 SOURCES -> \"fqdn\"|tag NAME [, ...]", "Allows matching requests."}},
    Entry{"application", {"deny", "deny NAME http:80, https:443 SOURCES -> \"fqdn\"|tag NAME [, ...]",
                          "Denies matching requests (a collection is all allow or all deny)."}},
    Entry{"nat", {"dnat", "dnat [NAME] [tcp|udp] [from SOURCES] [to PUBLIC_IP] PORT -> service \"NAME\" [: PORT] | -> IP : PORT",
                  "Publishes a port of the firewall's public IP."}},

    Entry{"cluster", {"pool", "pool NAME < mode system|user; nodes N | autoscale MIN MAX; vm_size \"...\"; ... >",
                      "A node pool (an AKS agent pool). Without `pool`, the cluster has one implicit System pool, "
                      "`nodepool1`, from its `nodes`, `vm_size` and `max_pods`; with pools, those three go in each pool. "
                      "At least one Linux pool must be `mode system`."}},
    Entry{"pool", {"mode", "mode system|user", "System pools host CoreDNS and other system pods (Linux only, at least "
                                               "1 node); user pools host applications and may scale to 0."}},
    Entry{"pool", {"nodes", "nodes N", "A fixed node count (0-1,000; a system pool at least 1). Default 3."}},
    Entry{"pool", {"autoscale", "autoscale MIN MAX", "The cluster autoscaler keeps the pool between MIN and MAX nodes "
                                                     "(0-1,000; a system pool's MIN at least 1)."}},
    Entry{"pool", {"vm_size", "vm_size \"Standard_D4ds_v5\"", "The pool's VM size (default: AKS chooses). An N-series "
                                                               "size (`Standard_N...`) makes it a GPU pool: rows `when gpu`."}},
    Entry{"pool", {"zones", "zones 1, 2, 3", "The availability zones the pool's nodes spread over."}},
    Entry{"pool", {"os", "os linux|windows", "The node OS (default linux). Windows pools need Azure CNI, a name of at "
                                             "most 6 characters, and turn on the rows `when windows`."}},
    Entry{"pool", {"os_sku", "os_sku ubuntu|ubuntu2204|ubuntu2404|azure_linux|azure_linux3|windows2019|windows2022|windows2025",
                   "The OS image (default: the API's for the OS); implies `os`."}},
    Entry{"pool", {"max_pods", "max_pods N", "Pods per node (10-250; default the network plugin's)."}},
    Entry{"pool", {"label", "label KEY=VALUE", "A Kubernetes label on every node of the pool (repeatable)."}},
    Entry{"pool", {"taint", "taint KEY=VALUE:NoSchedule|PreferNoSchedule|NoExecute",
                   "A taint on every node of the pool (repeatable); only pods that tolerate it are scheduled there."}},
    Entry{"pool", {"subnet", "subnet VNET.SUBNET", "The pool's own subnet, in the cluster's VNet (default: the "
                                                   "cluster's). With user-defined routing it must route to the firewall."}},
    Entry{"cluster", {"nodes", "nodes N", "The node count (default 3)."}},
    Entry{"cluster", {"vm_size", "vm_size \"Standard_DS2_v2\"", "The nodes' VM size."}},
    Entry{"cluster", {"max_pods", "max_pods N", "Pods per node (default 30 with Azure CNI, 110 with kubenet)."}},
    Entry{"cluster", {"network_plugin", "network_plugin azure [overlay] | kubenet", "The cluster's network plugin."}},
    Entry{"cluster", {"outbound", "outbound load_balancer|user_defined_routing|managed_nat_gateway|user_assigned_nat_gateway",
                      "How the cluster's traffic leaves: `user_defined_routing` sends it through your route table (the firewall)."}},
    Entry{"cluster", {"api_server_authorized", "api_server_authorized PUBLIC_IP|CIDR[, ...]",
                      "Who may reach the API server; behind a firewall this must include the firewall's public IP."}},
    Entry{"cluster", {"private", "private",
                      "A private cluster: the API server has no public address. Its nodes need no tunnel (UDP 1194, TCP "
                      "9000) and no *.hcp.<region>.azmk8s.io through the firewall."}},
    Entry{"cluster", {"api_server_subnet", "api_server_subnet VNET.SUBNET",
                      "API Server VNet Integration: the API server in this delegated subnet (/28 or larger, the nodes' "
                      "VNet, nothing else in it). Its nodes need no tunnel and no *.hcp.<region>.azmk8s.io."}},
    Entry{"cluster", {"identity", "identity system | identity user IDENTITY [kubelet IDENTITY]", "The cluster's managed identity."}},
    Entry{"cluster", {"addon", "addon monitoring workspace \"WORKSPACE-ID\" | addon keyvault_secrets | addon azure_policy",
                      "An AKS add-on (Container Insights, the Key Vault secrets provider, Azure Policy): emitted as an "
                      "addonProfile and `az aks create --enable-addons`, and it turns on the outbound rows "
                      "`when monitoring` etc. of stdlib/aks.egress."}},
    Entry{"cluster", {"defender", "defender workspace \"WORKSPACE-ID\"",
                      "Microsoft Defender for Containers, reporting to a Log Analytics workspace: emitted as "
                      "securityProfile.defender and `az aks create --enable-defender --defender-config`, and it turns "
                      "on the outbound rows `when defender` of stdlib/aks.egress (*.ods.opinsights.azure.com and "
                      "*.oms.opinsights.azure.com)."}},
    Entry{"cluster", {"ssh", "ssh generate", "Generate SSH keys for the nodes."}},
    Entry{"cluster", {"service_cidr", "service_cidr CIDR", "The Kubernetes service address range."}},
    Entry{"cluster", {"dns_service_ip", "dns_service_ip IP", "The cluster DNS service's address, inside the service CIDR."}},
    Entry{"cluster", {"pod_cidr", "pod_cidr CIDR", "The pod address range (kubenet, Azure CNI overlay)."}},
    Entry{"cluster", {"kubernetes_version", "kubernetes_version \"1.31\"", "The Kubernetes version (default: the region's)."}},

    Entry{"app", {"deployment", "deployment NAME image \"IMAGE\" [< port, env, mount, probe, wait_for, requests, limits, replicas >]",
                  "A Kubernetes Deployment."}},
    Entry{"app", {"statefulset", "statefulset NAME image \"IMAGE\" [< ... >]", "A Kubernetes StatefulSet."}},
    Entry{"app", {"service", "service NAME [cluster|internal [in VNET.SUBNET]|public] port P [-> TARGET][, ...] [ip ADDRESS]",
                  "A Kubernetes Service; `internal` is an internal load balancer (a DNAT target), in the cluster's "
                  "subnet or, with `in`, another subnet of its VNet."}},
    Entry{"app", {"config", "config NAME < file KEY \"content\" >", "A ConfigMap."}},
    Entry{"app", {"namespace", "namespace NAME", "The app's Kubernetes namespace (default `default`)."}},
    Entry{"config", {"file", "file KEY \"content\"", "A file of the ConfigMap."}},
    Entry{"workload", {"port", "port [NAME] N", "A container port."}},
    Entry{"workload", {"env", "env NAME = \"value\"", "An environment variable."}},
    Entry{"workload", {"mount", "mount CONFIG \"/path/in/container\" KEY", "Mounts a file of a config of this app."}},
    Entry{"workload", {"probe", "probe \"/health\"", "HTTP readiness and liveness probes on the first port. The path starts with `/`, without white space."}},
    Entry{"workload", {"wait_for", "wait_for HOST PORT [image \"busybox:1.36\"]",
                       "An init container that waits until HOST:PORT accepts connections."}},
    Entry{"workload", {"requests", "requests cpu \"...\" memory \"...\"", "Resource requests: Kubernetes quantities such as cpu \"250m\" or \"0.5\", memory \"128Mi\" (no B); at most the limit."}},
    Entry{"workload", {"limits", "limits cpu \"...\" memory \"...\"", "Resource limits: Kubernetes quantities such as cpu \"1\", memory \"512Mi\" (no B)."}},
    Entry{"workload", {"replicas", "replicas N", "The replica count, 0 to 1000 (default 1)."}},
    Entry{"requirement", {"network", "network tcp|udp DESTINATION : PORT \"why\" [recommended] [when COND...] [unless TAG : PORT]",
                          "A network flow the cluster needs."}},
    Entry{"requirement", {"application", "application http|https \"fqdn\" : PORT \"why\" [recommended] [when COND...] [unless TAG : PORT]",
                          "An application flow the cluster needs."}},
    Entry{"registry", {"pull", "pull \"host\" [or \"host\"...] \"why\"", "A host every pull from the registry contacts."}},
};

// Words that are not statements.
constexpr std::array kOthers = {
    Entry{"*", {"in", "... in LOCATION | in VNET.SUBNET", "Where it is: a region, or the subnet it runs in."}},
    Entry{"*", {"on", "app NAME on CLUSTER", "The cluster the app runs on."}},
    Entry{"*", {"priority", "priority N", "The collection's priority, 100 (first) to 65000; unique per kind."}},
    Entry{"*", {"tag", "tag FQDN_TAG", "An Azure Firewall FQDN tag, such as AzureKubernetesService (application rules only)."}},
    Entry{"*", {"image", "image \"registry/name:tag\"", "The container image, `registry/path:tag` with a lower-case path; its registry must be reachable through the firewall."}},
    Entry{"*", {"from", "from SOURCES", "The sources a DNAT rule accepts (default any)."}},
    Entry{"*", {"to", "to PUBLIC_IP", "The firewall public IP a DNAT rule listens on (default the first frontend)."}},
    Entry{"*", {"service", "-> service \"NAME\"", "The Kubernetes service (an internal load balancer) a DNAT rule forwards to."}},
    Entry{"*", {"internal", "service NAME internal [in VNET.SUBNET] port ...",
                "An internal load balancer in the cluster's subnet, or in another subnet of its VNet."}},
    Entry{"*", {"when", "STATEMENT when BOOL_PARAM | ... \"why\" when COND...",
                "After any statement's items: the statement exists only when the bool parameter is true (decided "
                "when the program is built, per env). In a requirement row: the row applies only when every condition "
                "holds: public, private, api_over_internet, custom_dns, monitoring, keyvault_secrets, azure_policy, defender."}},
    Entry{"*", {"unless", "STATEMENT unless BOOL_PARAM | ... unless TAG : PORT",
                "After any statement's items: the statement exists only when the bool parameter is false. In a requirement "
                "row: the row is not needed when the cluster reaches the service tag instead."}},
    Entry{"*", {"recommended", "... recommended", "A requirement row AKS recommends but does not require (W0230)."}},
    Entry{"*", {"workspace", "addon monitoring workspace \"WORKSPACE-ID\" | defender workspace \"WORKSPACE-ID\"",
                "The Log Analytics workspace Container Insights or Microsoft Defender sends to."}},
    Entry{"*", {"public", "service NAME public port ...", "A public load balancer (breaks behind a firewall UDR)."}},
    Entry{"*", {"port", "port P [-> TARGET]", "A service port and the container port it forwards to."}},
    Entry{"*", {"ip", "ip ADDRESS", "The internal load balancer's static address (otherwise the compiler picks one)."}},
    Entry{"*", {"system", "identity system", "A system-assigned managed identity."}},
    Entry{"*", {"user", "identity user IDENTITY", "A user-assigned managed identity."}},
    Entry{"*", {"kubelet", "kubelet IDENTITY", "The kubelet's own user-assigned identity."}},
    Entry{"*", {"generate", "ssh generate", "Generate an SSH key pair."}},
    Entry{"*", {"overlay", "network_plugin azure overlay", "Azure CNI overlay: pods get addresses from the pod CIDR."}},
    Entry{"*", {"tcp", "tcp", "TCP."}},
    Entry{"*", {"udp", "udp", "UDP."}},
    Entry{"*", {"icmp", "icmp", "ICMP (no ports)."}},
    Entry{"*", {"any", "any", "Any protocol."}},
    Entry{"*", {"http", "http:PORT", "HTTP on a port."}},
    Entry{"*", {"https", "https:PORT", "HTTPS on a port (TLS SNI is inspected)."}},
    Entry{"*", {"mssql", "mssql:PORT", "Azure SQL (TDS) on a port."}},
    Entry{"*", {"internet", "-> internet", "Next hop: the Internet."}},
    Entry{"*", {"vnet_local", "-> vnet_local", "Next hop: the virtual network."}},
    Entry{"*", {"virtual_network_gateway", "-> virtual_network_gateway", "Next hop: the VNet's gateway."}},
    Entry{"*", {"none", "-> none", "Next hop: none (traffic is dropped)."}},
    Entry{"*", {"virtual_appliance", "-> virtual_appliance IP", "Next hop: a virtual appliance at an address."}},
    Entry{"*", {"user_defined_routing", "outbound user_defined_routing",
                "The cluster's egress follows the subnet's route table (the firewall); no public IP for outbound."}},
    Entry{"*", {"load_balancer", "outbound load_balancer", "Egress through the cluster's public load balancer (the default)."}},
    Entry{"*", {"string", "param NAME: string", "Text."}},
    Entry{"*", {"int", "param NAME: int", "A whole number."}},
    Entry{"*", {"region", "param NAME: region", "An Azure region, checked against the stdlib's list."}},
    Entry{"*", {"bool", "param NAME: bool", "true or false; `when NAME` / `unless NAME` switch a statement on or off."}},
    Entry{"*", {"cidrs", "param NAME: cidrs = CIDR[, CIDR...]",
                "A list of addresses and prefixes, written out where the parameter is named (address spaces, "
                "api_server_authorized, rule sources and destinations); applied when the program is built."}},
};

std::string_view block_class(std::string_view head) {
  if (head == "deployment" || head == "statefulset") return "workload";
  return head;
}

}  // namespace

std::vector<KeywordInfo> statements_in(std::string_view block_head) {
  std::vector<KeywordInfo> out;
  const auto ctx = block_class(block_head);
  for (const auto& e : kStatements)
    if (e.context == ctx) out.push_back(e.info);
  return out;
}

const KeywordInfo* keyword_info(std::string_view word, std::string_view block_head) {
  const auto ctx = block_class(block_head);
  for (const auto& e : kStatements)
    if (e.context == ctx && e.info.word == word) return &e.info;
  for (const auto& e : kOthers)
    if (e.info.word == word) return &e.info;
  // A statement keyword used in another block (an error there, but still worth a word).
  for (const auto& e : kStatements)
    if (e.info.word == word) return &e.info;
  return nullptr;
}

std::vector<std::string_view> setting_values(std::string_view head, std::string_view block_head) {
  const auto ctx = block_class(block_head);
  if (head == "sku") {
    if (ctx == "firewall") return {"basic", "standard", "premium"};
    return {"standard", "basic"};
  }
  if (head == "tier") return {"basic", "standard", "premium"};
  if (head == "allocation") return {"static", "dynamic"};
  if (head == "dns_proxy" || head == "bgp_propagation") return {"on", "off"};
  if (head == "virtual_network_access" || head == "forwarded_traffic" || head == "gateway_transit") return {"allow", "deny"};
  if (head == "threat_intel" || head == "idps") return {"off", "alert", "deny"};
  if (head == "network_plugin") return {"azure", "kubenet"};
  if (head == "outbound") return {"load_balancer", "user_defined_routing", "managed_nat_gateway", "user_assigned_nat_gateway"};
  if (head == "identity" && ctx == "cluster") return {"system", "user"};
  if (head == "ssh") return {"generate"};
  if (head == "addon") return {"monitoring", "keyvault_secrets", "azure_policy"};
  if (head == "defender") return {"workspace"};
  if (head == "profile") return {"production", "development"};
  if (head == "mode" && ctx == "pool") return {"system", "user"};
  if (head == "os" && ctx == "pool") return {"linux", "windows"};
  if (head == "os_sku" && ctx == "pool")
    return {"ubuntu", "ubuntu2204", "ubuntu2404", "azure_linux", "azure_linux3", "windows2019", "windows2022", "windows2025"};
  if (head == "requests" || head == "limits") return {"cpu", "memory"};
  return {};
}

}  // namespace egress::lsp
