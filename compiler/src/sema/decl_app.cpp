// Elaboration of apps: the Kubernetes workloads, config maps and services that run on a cluster.
#include <fmt/format.h>

#include "sema/context.hpp"
#include "sema/kube_values.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

namespace {

constexpr long kMaxReplicas = 1000;

// Names of Kubernetes objects may be written as words (store-front) or strings ("store-front").
std::optional<std::string> object_name(Context& cx, Args& a, std::string_view what) {
  const Item* it = a.peek();
  if (it != nullptr && it->kind == ItemKind::string) {
    a.next();
    return cx.text(*it).value;
  }
  if (it != nullptr && it->kind == ItemKind::word && !it->has_interpolation() && it->prefix < 0) {
    a.next();
    return std::string(it->text);
  }
  a.fail(it, what);
  return std::nullopt;
}

std::optional<Text> string_text(Context& cx, Args& a, std::string_view what) {
  const Item* it = a.peek();
  if (it != nullptr && it->kind == ItemKind::string) {
    a.next();
    return cx.text(*it);
  }
  a.fail(it, what);
  return std::nullopt;
}

std::optional<std::string> string_value(Context& cx, Args& a, std::string_view what) {
  auto t = string_text(cx, a, what);
  return t ? std::optional<std::string>(std::move(t->value)) : std::nullopt;
}

// `setting "value"` for a message, in backquotes; for a string with `${p}` holes, as written and then the
// value it has with the parameters' defaults.
std::string subject(const Item& it, std::string_view setting, const std::string& value) {
  if (!it.has_interpolation()) return fmt::format("`{} {}`", setting, kube::shown(value));
  std::string_view written = it.text;  // as written, escapes and all
  const bool cut = written.size() > 60;
  if (cut) written = written.substr(0, 60);
  return fmt::format("`{} \"{}{}\"` (that is {} with the parameters' defaults)", setting, written, cut ? "..." : "",
                     kube::shown(value));
}

// A request or limit as written, once it is known to be a valid quantity.
struct Amount {
  std::string text;
  long double value = 0;
  Span span;
};
struct Amounts {
  std::optional<Amount> cpu, memory;
  std::optional<Span> cpu_set_at, memory_set_at;  // where each was first given, valid or not (E0108)
};

// E0106 for a quantity that Kubernetes would refuse. Returns the amount when it is known and valid.
// Values with a `${p}` that has no default are only known at deploy time (Text::known) and are not checked.
std::optional<Amount> check_quantity(Context& cx, const Item& it, const Text& text, std::string_view setting,
                                     bool cpu) {
  if (!text.known) return std::nullopt;
  const std::string* value = &text.value;
  const std::string_view example = cpu ? "cores or millicores, such as cpu \"0.5\" or cpu \"250m\""
                                       : "bytes with a unit, such as memory \"128Mi\" or memory \"1Gi\" (Ki Mi Gi "
                                         "are powers of 1024, k M G of 1000)";
  if (value->empty()) {
    cx.diags.report(Code::E0106, it.span, fmt::format("`{}` is empty; Kubernetes needs a quantity", setting),
                    fmt::format("write {}, or leave {} out", example, cpu ? "cpu" : "memory"));
    return std::nullopt;
  }
  const auto amount = kube::quantity_value(*value);
  if (!amount) {
    std::string hint = fmt::format("write {}", example);
    // "128MB", "1GiB": Kubernetes units have no B. "128MB" may mean 128M or 128Mi; offer both.
    const std::string bare = value->substr(0, value->empty() ? 0 : value->size() - 1);
    if (value->size() > 1 && (value->back() == 'B' || value->back() == 'b') && kube::is_quantity(bare)) {
      const char last = bare.back();
      const bool decimal_unit = last == 'k' || last == 'M' || last == 'G' || last == 'T' || last == 'P' || last == 'E';
      const std::string binary = decimal_unit ? bare.substr(0, bare.size() - 1) + (last == 'k' ? 'K' : last) + "i" : "";
      hint = decimal_unit && kube::is_quantity(binary)
                 ? fmt::format("Kubernetes units have no B: write {} (powers of 1000) or {} (powers of 1024)",
                               kube::shown(bare), kube::shown(binary))
                 : fmt::format("Kubernetes units have no B: write {}", kube::shown(bare));
    }
    cx.diags.report(Code::E0106, it.span, fmt::format("{} is not a Kubernetes quantity", subject(it, setting, *value)),
                    hint);
    return std::nullopt;
  }
  if (*amount < 0) {
    cx.diags.report(Code::E0106, it.span, fmt::format("{} is negative", subject(it, setting, *value)),
                    fmt::format("resources are 0 or more: write {}", example));
    return std::nullopt;
  }
  return Amount{*value, *amount, it.span};
}

void resources(Context& cx, Args& a, Resources& r, Amounts& amounts, std::string_view head) {
  bool any = false;
  while (a.ok() && !a.done()) {
    auto which = a.choice({"cpu", "memory"}, "resource");
    const Item* it = a.peek();
    auto v = string_text(cx, a, "a quantity such as \"250m\" or \"128Mi\"");
    if (!which || !v) break;
    const bool cpu = *which == 0;
    auto& set_at = cpu ? amounts.cpu_set_at : amounts.memory_set_at;
    if (set_at) {
      auto& d = cx.diags.report(Code::E0108, it->span,
                                fmt::format("`{} {}` is already set; the second value would silently win", head,
                                            cpu ? "cpu" : "memory"),
                                "keep one of the two values");
      d.notes.push_back({*set_at, "first set here"});
      continue;
    }
    set_at = it->span;
    (cpu ? r.cpu : r.memory) = v->value;
    (cpu ? amounts.cpu : amounts.memory) =
        check_quantity(cx, *it, *v, fmt::format("{} {}", head, cpu ? "cpu" : "memory"), cpu);
    any = true;
  }
  if (!any) a.fail(a.peek(), "cpu \"...\" and/or memory \"...\"");
}

// E0106 when a request is more than the limit of the same resource (Kubernetes rejects the pod).
void check_request_within_limit(Context& cx, const std::optional<Amount>& request,
                                const std::optional<Amount>& limit, std::string_view resource) {
  if (!request || !limit || !kube::quantity_exceeds(request->value, limit->value)) return;
  auto& d = cx.diags.report(
      Code::E0106, request->span,
      fmt::format("`requests {} {}` is more than `limits {} {}`", resource, kube::shown(request->text), resource,
                  kube::shown(limit->text)),
      fmt::format("Kubernetes rejects a request above its limit: lower the request, or raise the limit to at least {}",
                  kube::shown(request->text)));
  d.notes.push_back({limit->span, "the limit is set here"});
}

// E0106 for an image reference the kubelet cannot parse.
void check_image(Context& cx, const Item& it, const Text& text, std::string_view setting) {
  if (!text.known) return;
  const std::string* value = &text.value;
  const auto why = kube::image_reference_problem(*value);
  if (!why) return;
  std::string hint = "write registry/path:tag, such as \"mcr.microsoft.com/azuredocs/aks-helloworld:v1\"";
  if (auto lower = kube::lower_case_image_reference(*value))
    hint = fmt::format("repositories are lower case: {}", kube::shown(*lower));
  cx.diags.report(Code::E0106, it.span,
                  fmt::format("{} is not a valid image reference: {}", subject(it, setting, *value), *why),
                  hint);
}

void workload(Context& cx, App& app, const syntax::Statement& s) {
  Args a(cx, s, fmt::format("{} NAME image \"IMAGE\" [< port, env, mount, probe, wait_for, requests, limits, replicas >]",
                            s.head.text));
  auto name = object_name(cx, a, "the workload's name");
  a.expect_word("image");
  const Item* image = a.expect(ItemKind::string, "the container image, as a string");
  a.finish();
  if (!name || image == nullptr) return;
  Workload& w = app.workloads.emplace_back();
  w.kind = s.head.text == "statefulset" ? Workload::Kind::statefulset : Workload::Kind::deployment;
  w.name = *name;
  w.image = cx.text(*image);
  w.span = s.span;
  check_image(cx, *image, w.image, "image");
  Amounts requested, limited;
  std::map<std::string, Span, std::less<>> settings;  // probe and replicas take one value each (E0108)
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    const auto& head = inner.head.text;
    if ((head == "probe" || head == "replicas") && !cx.first_setting(settings, inner)) continue;
    if (head == "port") {
      Args b(cx, inner, "port [NAME] N");
      ContainerPort p;
      p.span = inner.span;
      if (b.at(ItemKind::word)) p.name = b.name("the port's name").value_or("");
      if (auto n = b.number(1, 65535, "the container port")) p.port = static_cast<std::uint16_t>(*n);
      b.finish();
      if (b.ok()) w.ports.push_back(p);
    } else if (head == "env") {
      // The name is a word, or a string for names a word cannot hold (`env "app:mode" = ...`); which names the
      // API server takes depends on the cluster's Kubernetes version (model/check_names.cpp, E0224).
      Args b(cx, inner, "env NAME|\"NAME\" = \"value\"");
      auto key = b.at(ItemKind::string) ? string_value(cx, b, "the variable's name")
                                        : b.name("the variable's name");
      b.expect(ItemKind::equals, "`=`");
      auto v = string_value(cx, b, "the value, as a string");
      b.finish();
      if (key && v) w.env.emplace_back(*key, *v);
    } else if (head == "mount") {
      Args b(cx, inner, "mount CONFIG \"/path/in/container\" KEY");
      Mount m;
      m.span = inner.span;
      auto config = object_name(cx, b, "the config's name");
      auto path = string_value(cx, b, "the mount path, as a string");
      auto key = object_name(cx, b, "the file's key in the config");
      b.finish();
      if (config && path && key) {
        m.config = *config;
        m.path = *path;
        m.key = *key;
        w.mounts.push_back(m);
      }
    } else if (head == "probe") {
      Args b(cx, inner, "probe \"/health\"");
      const Item* it = b.peek();
      if (auto p = string_text(cx, b, "the HTTP path, as a string")) {
        w.probe_path = p->value;
        if (const auto why = p->known ? kube::http_path_problem(p->value) : std::nullopt)
          cx.diags.report(Code::E0106, it->span,
                          fmt::format("{} is not an HTTP path: {}", subject(*it, "probe", p->value), *why),
                          "write the path the container answers on, such as probe \"/health\"");
      }
      b.finish();
    } else if (head == "wait_for") {
      Args b(cx, inner, "wait_for HOST PORT [image \"busybox:1.36\"]");
      WaitFor wf;
      wf.span = inner.span;
      wf.image = Text::literal("busybox:1.36", inner.span);
      auto host = object_name(cx, b, "the host to wait for");
      auto port = b.number(1, 65535, "the port");
      if (b.accept_word("image")) {
        if (const Item* img = b.expect(ItemKind::string, "the image, as a string")) {
          wf.image = cx.text(*img);
          check_image(cx, *img, wf.image, "wait_for image");
        }
      }
      b.finish();
      if (host && port) {
        wf.host = *host;
        wf.port = static_cast<std::uint16_t>(*port);
        w.wait_for.push_back(wf);
      }
    } else if (head == "requests" || head == "limits") {
      Args b(cx, inner, fmt::format("{} cpu \"...\" memory \"...\"", head));
      resources(cx, b, head == "requests" ? w.requests : w.limits, head == "requests" ? requested : limited, head);
      b.finish();
    } else if (head == "replicas") {
      Args b(cx, inner, "replicas N");
      // Too many is E0106 with a hint here; anything else that is not a count, Args::number reports.
      const Item* it = b.peek();
      if (it != nullptr && it->kind == ItemKind::number && it->text.size() <= 9 && std::stol(std::string(it->text)) > kMaxReplicas) {
        b.next();
        cx.diags.report(Code::E0106, it->span,
                        fmt::format("`replicas {}` is more than egress allows ({})", it->text, kMaxReplicas),
                        fmt::format("write a count from 0 to {}, such as replicas 3", kMaxReplicas));
      } else if (auto n = b.number(0, kMaxReplicas, "the replica count")) {
        w.replicas = static_cast<int>(*n);
      }
      b.finish();
    } else {
      cx.unknown_statement(inner, fmt::format("in a {}", s.head.text),
                           {"port", "env", "mount", "probe", "wait_for", "requests", "limits", "replicas"});
    }
  }
  check_request_within_limit(cx, requested.cpu, limited.cpu, "cpu");
  check_request_within_limit(cx, requested.memory, limited.memory, "memory");
}

void service(Context& cx, App& app, const syntax::Statement& s) {
  Args a(cx, s, "service NAME [cluster|internal [in VNET.SUBNET]|public] port P [-> TARGET][, P [-> TARGET]] [ip ADDRESS]");
  cx.no_block(s);
  auto name = object_name(cx, a, "the service's name");
  Service svc;
  svc.span = s.span;
  svc.app = &app;
  if (const Item* e = a.peek(); e != nullptr && (e->is_word("cluster") || e->is_word("internal") || e->is_word("public"))) {
    svc.exposure_span = e->span;
    svc.exposure = static_cast<Service::Exposure>(*a.choice({"cluster", "internal", "public"}, "exposure"));
  }
  // `internal in VNET.SUBNET`: the internal load balancer in another subnet of the cluster's VNet.
  std::string lb_subnet;
  if (svc.exposure == Service::Exposure::internal && a.accept_word("in")) {
    const Item* sub = a.peek();
    if (sub != nullptr && sub->kind == ItemKind::word && !sub->has_interpolation()) {
      a.next();
      lb_subnet = sub->text;
      svc.lb_subnet_span = sub->span;
    } else {
      a.fail(sub, "the load balancer's subnet, as VNET.SUBNET");
    }
  }
  a.expect_word("port");
  do {
    const Item* at = a.peek();
    auto port = a.number(1, 65535, "a service port");
    ServicePort p;
    p.span = at != nullptr ? at->span : s.span;
    if (port) p.port = p.target = static_cast<std::uint16_t>(*port);
    if (a.ok() && a.accept(ItemKind::arrow)) {
      if (auto t = a.number(1, 65535, "the target port")) p.target = static_cast<std::uint16_t>(*t);
    }
    if (a.ok()) svc.ports.push_back(p);
  } while (a.ok() && a.accept(ItemKind::comma));
  if (a.ok() && a.at_word("ip")) {
    const Item* ip_word = a.next();
    svc.load_balancer_ip = a.ip("the load balancer's static IP");
    if (svc.exposure != Service::Exposure::internal && svc.load_balancer_ip)
      cx.diags.report(Code::E0106, ip_word->span,
                      fmt::format("`ip` is only for internal load balancers; service `{}` is {}", name.value_or("?"),
                                  svc.exposure == Service::Exposure::cluster ? "cluster-internal" : "public"),
                      "write `internal` after the service's name, or remove the address");
  }
  a.finish();
  if (name && !a.ok()) cx.program.malformed_services.push_back(*name);
  if (!name || !a.ok()) return;
  svc.name = *name;
  for (const auto& other : app.services) {
    if (other.name == svc.name) {
      auto& d = cx.diags.report(Code::E0103, s.span, fmt::format("service `{}` is declared twice in app `{}`",
                                                                   svc.name, app.symbol));
      d.notes.push_back({other.span, "first declared here"});
      return;
    }
  }
  app.services.push_back(svc);
  if (!lb_subnet.empty()) {
    Service* stored = &app.services.back();  // a deque: the address stays valid
    cx.fixups.push_back([&cx, stored, lb_subnet, span = stored->lb_subnet_span] {
      stored->lb_subnet = cx.resolve_as<Subnet>(lb_subnet, SymbolKind::subnet, span, "the load balancer's subnet");
    });
  }
}

void config(Context& cx, App& app, const syntax::Statement& s) {
  Args a(cx, s, "config NAME < file KEY \"content\" >");
  auto name = object_name(cx, a, "the config's name");
  a.finish();
  if (!name) return;
  ConfigMap& cm = app.configs.emplace_back();
  cm.name = *name;
  cm.span = s.span;
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    if (inner.head.text != "file") {
      cx.unknown_statement(inner, "in a config", {"file"});
      continue;
    }
    Args b(cx, inner, "file KEY \"content\"");
    auto key = object_name(cx, b, "the file's key");
    auto content = string_value(cx, b, "the file's content, as a string");
    b.finish();
    if (key && content) cm.files.emplace_back(*key, *content);
  }
}

}  // namespace

void declare_app(Context& cx, const syntax::Statement& s, App* existing) {
  App* app = existing;
  if (app == nullptr) {
    Args a(cx, s, "app NAME on CLUSTER [< ... >]");
    auto name = a.name("the app's name");
    if (!name) return;
    app = &cx.program.apps.emplace_back();
    app->symbol = *name;
    app->span = s.span;
    if (a.expect_word("on")) {
      const Item* c = a.peek();
      if (auto cluster = a.name("the cluster it runs on")) {
        cx.fixups.push_back([&cx, app, n = *cluster, span = c->span] {
          app->cluster = cx.resolve_as<Cluster>(n, SymbolKind::cluster, span, "the app's cluster");
        });
      }
    }
    a.finish();
    cx.declare(*name, SymbolKind::app, app, s.span);
  }
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head == "deployment" || head == "statefulset") {
      workload(cx, *app, inner);
    } else if (head == "service") {
      service(cx, *app, inner);
    } else if (head == "config") {
      config(cx, *app, inner);
    } else if (head == "namespace") {
      cx.no_block(inner);
      Args b(cx, inner, "namespace NAME");
      if (auto n = object_name(cx, b, "the namespace")) app->ns = *n;
      b.finish();
    } else {
      cx.unknown_statement(inner, "in an app", {"deployment", "statefulset", "service", "config", "namespace"});
    }
  }
}

}  // namespace egress::sema
