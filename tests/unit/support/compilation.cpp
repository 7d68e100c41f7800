#include "compilation.hpp"

#include <utility>

#include "../test_support.hpp"

namespace egress::testing {

bool Compilation::has(std::string_view code, std::string_view text) const {
  for (const auto& d : result.diagnostics.all())
    if (info(d.code).id == code && (text.empty() || d.message.find(text) != std::string::npos)) return true;
  return false;
}

std::size_t Compilation::count(std::string_view code) const {
  std::size_t n = 0;
  for (const auto& d : result.diagnostics.all())
    if (info(d.code).id == code) ++n;
  return n;
}

std::string Compilation::output(std::string_view extension) const {
  for (const auto& o : result.outputs)
    if (std::string_view(o.filename).ends_with(extension)) return o.content;
  return {};
}

const Output* Compilation::file(std::string_view filename) const {
  for (const auto& o : result.outputs)
    if (o.filename == filename) return &o;
  return nullptr;
}

std::string Compilation::content(std::string_view filename) const {
  const auto* f = file(filename);
  return f != nullptr ? f->content : std::string{};
}

namespace {

enum class Run { compile, check };

std::unique_ptr<Compilation> run(Run how, const std::string& name, const std::string& text, Options options) {
  auto c = std::make_unique<Compilation>();
  const auto id = c->sources.add(name, text);
  if (!options.read_file) {
    const std::string base = source_dir() + "/";
    options.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
  }
  c->result = how == Run::compile ? compile(c->sources, id, options) : check(c->sources, id, options);
  for (const auto& d : c->result.diagnostics.all()) c->rendered += render(d, c->sources);
  return c;
}

}  // namespace

std::unique_ptr<Compilation> compile_program(const std::string& name, const std::string& text, Options options) {
  return run(Run::compile, name, text, std::move(options));
}

std::unique_ptr<Compilation> check_program(const std::string& name, const std::string& text, Options options) {
  return run(Run::check, name, text, std::move(options));
}

}  // namespace egress::testing
