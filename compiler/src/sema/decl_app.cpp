// Elaboration of apps: the Kubernetes workloads, config maps and services that run on a cluster.
#include <fmt/format.h>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

namespace {

// Names of Kubernetes objects may be written as words (store-front) or strings ("store-front").
std::optional<std::string> object_name(Context& cx, Args& a, std::string_view what) {
  const Item* it = a.peek();
  if (it != nullptr && it->kind == ItemKind::string) {
    a.next();
    return cx.text(*it).value;
  }
  if (it != nullptr && it->kind == ItemKind::word && !it->has_interpolation() && it->prefix < 0) {
    a.next();
    return it->text;
  }
  a.fail(it, what);
  return std::nullopt;
}

std::optional<std::string> string_value(Context& cx, Args& a, std::string_view what) {
  const Item* it = a.peek();
  if (it != nullptr && it->kind == ItemKind::string) {
    a.next();
    return cx.text(*it).value;
  }
  a.fail(it, what);
  return std::nullopt;
}

void resources(Context& cx, Args& a, Resources& r) {
  bool any = false;
  while (a.ok() && !a.done()) {
    auto which = a.choice({"cpu", "memory"}, "resource");
    auto v = string_value(cx, a, "a quantity such as \"250m\" or \"128Mi\"");
    if (!which || !v) break;
    (*which == 0 ? r.cpu : r.memory) = *v;
    any = true;
  }
  if (!any) a.fail(a.peek(), "cpu \"...\" and/or memory \"...\"");
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
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    const auto& head = inner.head.text;
    if (head == "port") {
      Args b(cx, inner, "port [NAME] N");
      ContainerPort p;
      p.span = inner.span;
      if (b.at(ItemKind::word)) p.name = b.name("the port's name").value_or("");
      if (auto n = b.number(1, 65535, "the container port")) p.port = static_cast<std::uint16_t>(*n);
      b.finish();
      if (b.ok()) w.ports.push_back(p);
    } else if (head == "env") {
      Args b(cx, inner, "env NAME = \"value\"");
      auto key = b.name("the variable's name");
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
      if (auto p = string_value(cx, b, "the HTTP path, as a string")) w.probe_path = *p;
      b.finish();
    } else if (head == "wait_for") {
      Args b(cx, inner, "wait_for HOST PORT [image \"busybox:1.36\"]");
      WaitFor wf;
      wf.span = inner.span;
      wf.image = Text::literal("busybox:1.36", inner.span);
      auto host = object_name(cx, b, "the host to wait for");
      auto port = b.number(1, 65535, "the port");
      if (b.accept_word("image")) {
        if (const Item* img = b.expect(ItemKind::string, "the image, as a string")) wf.image = cx.text(*img);
      }
      b.finish();
      if (host && port) {
        wf.host = *host;
        wf.port = static_cast<std::uint16_t>(*port);
        w.wait_for.push_back(wf);
      }
    } else if (head == "requests" || head == "limits") {
      Args b(cx, inner, fmt::format("{} cpu \"...\" memory \"...\"", head));
      resources(cx, b, head == "requests" ? w.requests : w.limits);
      b.finish();
    } else if (head == "replicas") {
      Args b(cx, inner, "replicas N");
      if (auto n = b.number(0, 1000, "the replica count")) w.replicas = static_cast<int>(*n);
      b.finish();
    } else {
      cx.unknown_statement(inner, fmt::format("in a {}", s.head.text),
                           {"port", "env", "mount", "probe", "wait_for", "requests", "limits", "replicas"});
    }
  }
}

void service(Context& cx, App& app, const syntax::Statement& s) {
  Args a(cx, s, "service NAME [cluster|internal|public] port P [-> TARGET][, P [-> TARGET]] [ip ADDRESS]");
  cx.no_block(s);
  auto name = object_name(cx, a, "the service's name");
  Service svc;
  svc.span = s.span;
  svc.app = &app;
  if (const Item* e = a.peek(); e != nullptr && (e->is_word("cluster") || e->is_word("internal") || e->is_word("public"))) {
    svc.exposure_span = e->span;
    svc.exposure = static_cast<Service::Exposure>(*a.choice({"cluster", "internal", "public"}, "exposure"));
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
