" Vim syntax file
" Language:    egress (.egress): an AKS cluster behind Azure Firewall
" Maintainer:  the egress authors
" The same token classes as the TextMate grammar (editors/vscode/syntaxes/egress.tmLanguage.json):
" statement heads, resource kinds and the names they declare, addresses, ports, service tags, strings.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync fromstart

" Word boundaries: egress words hold letters, digits, '_', '-' and '.' separators, so `\<` is not enough
" (`order-service` must not show `service`, `vnet.aks` must not show `vnet`). A '-' may only start `->`.
let s:b = '\%([[:alnum:]_.$}-]\)\@<!'
let s:e = '\%([[:alnum:]_.$]\|-\%(>\)\@!\)\@!'
let s:ident = '\h\%(\w\|-\%(>\)\@!\)*'
let s:head = '\%(\%(^\|[;<]\)\s*\)\@<='
let s:interp = '\${\h\w*\%(\.\h\w*\)*}'

function! s:words(list) abort
  return '\%(' . join(a:list, '\|') . '\)'
endfunction

" Lowest priority first: a later item that matches at the same column wins.

" Plain words (references such as `fwpip`, `vnet.aks`) are not highlighted; matching them whole keeps the
" keyword patterns below from matching inside them.
exe 'syn match egressWord /' . s:b . s:ident . '\%(\.\%(' . s:ident . '\|' . s:interp . '\)\)*/ contains=egressInterp'
exe 'syn match egressWord /' . s:b . s:interp . '\%(\.\%(' . s:ident . '\|' . s:interp . '\)\)*/ contains=egressInterp'

" Punctuation and operators
syn match egressColon /:/
syn match egressComma /,/
syn match egressEquals /=/
syn match egressTerminator /;/
syn match egressWildcard /\*/
syn match egressArrow /->/
syn match egressStrayBlockEnd /-\@<!>/
syn region egressBlock matchgroup=egressBlockDelim start=/</ end=/-\@<!>/ transparent fold contains=TOP,egressStrayBlockEnd

" Numbers: integers, port ranges, ports (after `:`, `,`, `->`, `port [name]`, `dnat`, `wait_for name`)
exe 'syn match egressNumber /' . s:b . '\d\+' . s:e . '/'
exe 'syn match egressRange /' . s:b . '\d\+-\d\+' . s:e . '/ contains=egressRangeDash'
syn match egressRangeDash /-/ contained
let s:portctx = '\%(\%(:\|,\|->\|' . s:b . '\%(port\%(\s\+' . s:ident . '\)\=\|dnat\|wait_for\s\+' . s:ident . '\)\)\s*\)\@<='
exe 'syn match egressPort /' . s:portctx . s:b . '\d\+' . s:e . '/'

" Addresses: CIDRs, IPv4 addresses, `name/32`, and malformed ones
let s:octet = '\%(25[0-5]\|2[0-4]\d\|1\d\d\|[1-9]\=\d\)'
let s:ipv4 = s:octet . '\%(\.' . s:octet . '\)\{3}'
exe 'syn match egressBadAddress /' . s:b . '\d\+\%(\.\d\+\)\+\%(\/\d\+\)\=' . s:e . '/'
exe 'syn match egressIp /' . s:b . s:ipv4 . s:e . '\%(\/\)\@!/'
exe 'syn match egressCidr /' . s:b . s:ipv4 . '\/\%(3[0-2]\|[12]\=\d\)' . s:e . '/'
exe 'syn match egressPrefix /\%(\w\)\@<=\/\%(3[0-2]\|[12]\=\d\)' . s:e . '/'

" Values and other keywords (anywhere in a statement)
exe 'syn match egressKeyword /' . s:b . s:words(split('in priority tag image internal public cluster user kubelet system generate cpu memory from to ip port service import param group vnet subnet public_ip firewall network application nat route_table route app config file statefulset deployment env mount requests limits probe wait_for replicas namespace dnat allow identity requirement regions service_tags fqdn_tags profile allocation peer bgp_propagation when unless recommended workspace alias addon registry pull fqdn_tag_covers ip_group firewall_policy rule_group policy tier base idps idps_signature tls_inspection threat_intel_allow dns_servers keyvault_secret certificate category url terminate_tls management zones zonal nat_gateway idle_timeout rule_set use required defender idps_bypass idps_private_ranges header pool mode autoscale os os_sku label taint linux windows virtual_network_access forwarded_traffic gateway_transit use_remote_gateways')) . s:e . '/'
exe 'syn match egressConstant /' . s:b . s:words(split('on off alert deny standard basic premium static dynamic azure kubenet overlay load_balancer user_defined_routing managed_nat_gateway user_assigned_nat_gateway internet vnet_local virtual_network_gateway none production development')) . s:e . '/'
exe 'syn match egressKeyword /' . s:b . 'on' . s:e . '\%(\s\+[[:alpha:]_$"]\)\@=/'
exe 'syn match egressProtocol /' . s:b . s:words(split('udp tcp icmp any http https mssql')) . s:e . '/'
exe 'syn match egressType /' . s:b . s:words(split('string int region bool cidrs')) . s:e . '/'
exe 'syn match egressBoolean /' . s:b . '\%(true\|false\)' . s:e . '/'

" Azure service tags: AzureCloud.${location}, Storage.westeurope, AzureMonitor; any word after `tag`.
" The lists of tags and regions are those of stdlib/azure.egress (tests/editors/grammar.test.mjs compares them).
let s:service_tags = split('ActionGroup ApiManagement AppConfiguration ApplicationInsightsAvailability'
      \ . ' AppService AppServiceManagement AutonomousDevelopmentPlatform AzureActiveDirectory'
      \ . ' AzureActiveDirectoryDomainServices AzureAdvancedThreatProtection AzureArcInfrastructure'
      \ . ' AzureAttestation AzureBackup AzureBotService AzureCloud AzureCognitiveSearch AzureConnectors'
      \ . ' AzureContainerRegistry AzureCosmosDB AzureDatabricks AzureDataExplorerManagement AzureDataLake'
      \ . ' AzureDeviceUpdate AzureDevOps AzureDevSpaces AzureDigitalTwins AzureEventGrid AzureFrontDoor.Backend'
      \ . ' AzureFrontDoor.FirstParty AzureFrontDoor.Frontend AzureHealthcareAPIs AzureInformationProtection'
      \ . ' AzureIoTHub AzureKeyVault AzureLoadTestingInstanceManagement AzureMachineLearning'
      \ . ' AzureMachineLearningInference AzureManagedGrafana AzureMonitor AzureOpenDatasets'
      \ . ' AzureResourceManager AzureSentinel AzureSignalR AzureSiteRecovery AzureSphere AzureSpringCloud'
      \ . ' AzureStack AzureTrafficManager AzureUpdateDelivery AzureWebPubSub BatchNodeManagement ChaosStudio'
      \ . ' CognitiveServicesFrontend CognitiveServicesManagement DataFactory DataFactoryManagement'
      \ . ' Dynamics365BusinessCentral Dynamics365ForMarketingEmail EOPExternalPublishedIPs EventHub'
      \ . ' GuestAndHybridManagement HDInsight LogicApps LogicAppsManagement M365ManagementActivityApi'
      \ . ' M365ManagementActivityApiWebhook Marketplace MicrosoftAzureFluidRelay MicrosoftCloudAppSecurity'
      \ . ' MicrosoftContainerRegistry PowerBI PowerPlatformInfra PowerPlatformPlex PowerQueryOnline ServiceBus'
      \ . ' ServiceFabric Sql SqlManagement Storage StorageSyncService WindowsAdminCenter WindowsVirtualDesktop')
let s:regions = split('eastus eastus2 westus westus2 westus3 centralus northcentralus southcentralus'
      \ . ' westcentralus canadacentral canadaeast brazilsouth brazilsoutheast mexicocentral chilecentral'
      \ . ' northeurope westeurope uksouth ukwest francecentral francesouth germanywestcentral germanynorth'
      \ . ' switzerlandnorth switzerlandwest norwayeast norwaywest swedencentral swedensouth polandcentral'
      \ . ' italynorth spaincentral austriaeast belgiumcentral denmarkeast eastasia southeastasia japaneast'
      \ . ' japanwest koreacentral koreasouth centralindia southindia westindia jioindiawest jioindiacentral'
      \ . ' australiaeast australiasoutheast australiacentral australiacentral2 newzealandnorth indonesiacentral'
      \ . ' malaysiawest uaenorth uaecentral qatarcentral israelcentral southafricanorth southafricawest')
let s:region = '\%(\l[[:lower:][:digit:]]*\|' . s:interp . '\)'
let s:fixed_subnets = s:words(split('AzureFirewallSubnet AzureFirewallManagementSubnet AzureBastionSubnet GatewaySubnet RouteServerSubnet'))
let s:known_tags = s:words(map(sort(copy(s:service_tags), {a, b -> len(b) - len(a)}), 'escape(v:val, ".")'))
exe 'syn match egressRegion /' . s:b . s:words(s:regions) . s:e . '/'
exe 'syn match egressServiceTag /' . s:b . '\%(' . s:fixed_subnets . s:e . '\)\@!\%(' . s:known_tags . '\|\%(Azure\|Microsoft\)\w*\)\%(\.' . s:region . '\)\=' . s:e . '/ contains=egressInterp'
exe 'syn match egressServiceTag /' . s:b . '\u\w*\.' . s:region . s:e . '/ contains=egressInterp'
exe 'syn match egressKeyword /' . s:b . 'tag' . s:e . '/ nextgroup=egressServiceTagAfterTag skipwhite'
let s:tagword = s:ident . '\%(\.\%(' . s:ident . '\|' . s:interp . '\)\)*'
exe 'syn match egressServiceTagAfterTag /' . s:tagword . '/ contained contains=egressInterp'

" Statement heads: the first word of a line, or after `;` or `<`
let s:protocols = s:words(split('udp tcp icmp any http https mssql'))
let s:kinds = s:words(split('group vnet subnet public_ip nat_gateway ip_group firewall_policy rule_group firewall network application nat route_table route cluster pool app config file statefulset deployment service requirement identity rule_set'))
let s:props = s:words(split('frontend dns_proxy sku allocation threat_intel nodes vm_size max_pods network_plugin outbound api_server_authorized ssh service_cidr dns_service_ip pod_cidr private kubernetes_version mount requests limits probe replicas namespace wait_for peer bgp_propagation profile regions addon registry pull fqdn_tag_covers policy tier base idps idps_signature tls_inspection threat_intel_allow dns_servers management zones idle_timeout use defender idps_bypass idps_private_ranges api_server_subnet mode autoscale os os_sku label taint virtual_network_access forwarded_traffic gateway_transit use_remote_gateways'))
exe 'syn match egressImport /' . s:head . s:b . 'import' . s:e . '/ nextgroup=egressModuleName skipwhite'
exe 'syn match egressParam /' . s:head . s:b . 'param' . s:e . '/ nextgroup=egressParamName skipwhite'
exe 'syn match egressResource /' . s:head . s:b . s:kinds . s:e . '/ nextgroup=egressResourceName skipwhite'
exe 'syn match egressRule /' . s:head . s:b . '\%(allow\|deny\|dnat\)' . s:e . '/ nextgroup=egressRuleName skipwhite'
exe 'syn match egressProperty /' . s:head . s:b . s:props . s:e . '/'
" `identity system` and `identity user cp kubelet kl` set a cluster's identity; `identity cp "x"` declares one
exe 'syn match egressProperty /' . s:head . s:b . 'identity' . s:e . '\%(\s\+\%(system\|user\)' . s:e . '\)\@=/'
exe 'syn match egressProperty /' . s:head . s:b . 'port' . s:e . '/ nextgroup=egressPortName skipwhite'
exe 'syn match egressProperty /' . s:head . s:b . 'env' . s:e . '/ nextgroup=egressEnvName skipwhite'
" The stdlib's `service_tags A, B` and `fqdn_tags C, D` (a line ending in `,` continues the list)
exe 'syn region egressTagList matchgroup=egressProperty start=/' . s:head . s:b . '\%(service_tags\|fqdn_tags\)' . s:e
      \ . '/ end=/\%(,\s*\)\@<!$/ contains=egressTagListWord,egressComma,egressComment'
exe 'syn match egressTagListWord /' . s:b . s:tagword . s:e . '/ contained contains=egressInterp'

" The names they declare (a protocol is not a name: `network udp ...` in a requirement, `allow tcp ...`)
let s:name = '\%(' . s:protocols . s:e . '\)\@!' . s:ident . s:e
exe 'syn match egressModuleName /' . s:ident . s:e . '/ contained'
exe 'syn match egressParamName /' . s:ident . s:e . '/ contained'
exe 'syn match egressResourceName /' . s:name . '/ contained'
exe 'syn match egressRuleName /' . s:name . '/ contained'
exe 'syn match egressPortName /' . s:ident . s:e . '/ contained'
exe 'syn match egressEnvName /' . s:ident . s:e . '/ contained'

" Interpolation `${name}` (in strings and words)
exe 'syn match egressInterp /' . s:interp . '/ contained'

" Strings: escapes, interpolation, a leading `*.` wildcard in host names; one not closed on its line is an error
syn match egressEscape /\\[\\"nt$]/ contained
syn match egressBadEscape /\\[^\\"nt$]/ contained
syn match egressFqdnWildcard /"\@<=\*\ze\./ contained
syn region egressString start=/"/ skip=/\\\\\|\\"/ end=/"/ oneline contains=egressEscape,egressBadEscape,egressInterp,egressFqdnWildcard
syn match egressUnterminated /"\%([^"\\]\|\\.\)*\\\=$/

" Comments last: `//` starts one anywhere outside a string
syn keyword egressTodo TODO FIXME XXX NOTE contained
syn match egressComment /\/\/.*$/ contains=egressTodo,@Spell

hi def link egressComment        Comment
hi def link egressTodo           Todo
hi def link egressString         String
hi def link egressEscape         SpecialChar
hi def link egressBadEscape      Error
hi def link egressUnterminated   Error
hi def link egressInterp         Identifier
hi def link egressFqdnWildcard   Special
hi def link egressImport         Include
hi def link egressParam          StorageClass
hi def link egressResource       Structure
hi def link egressRule           Statement
hi def link egressProperty       Keyword
hi def link egressKeyword        Keyword
hi def link egressConstant       Constant
hi def link egressProtocol       Constant
hi def link egressBoolean        Boolean
hi def link egressType           Type
hi def link egressModuleName     Identifier
hi def link egressParamName      Identifier
hi def link egressResourceName   Function
hi def link egressRuleName       Label
hi def link egressPortName       Identifier
hi def link egressEnvName        Identifier
hi def link egressServiceTag     Special
hi def link egressServiceTagAfterTag egressServiceTag
hi def link egressTagListWord   egressServiceTag
hi def link egressRegion         Constant
hi def link egressCidr           Number
hi def link egressIp             Number
hi def link egressPrefix         Number
hi def link egressBadAddress     Error
hi def link egressNumber         Number
hi def link egressPort           Number
hi def link egressRange          Number
hi def link egressRangeDash      Delimiter
hi def link egressArrow          Operator
hi def link egressWildcard       Special
hi def link egressEquals         Operator
hi def link egressColon          Delimiter
hi def link egressComma          Delimiter
hi def link egressTerminator     Delimiter
hi def link egressBlockDelim     Delimiter
hi def link egressStrayBlockEnd  Error

let b:current_syntax = 'egress'

let &cpo = s:cpo_save
unlet s:cpo_save
