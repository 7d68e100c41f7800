// Entry point of the network checks (the checks themselves live beside this file, one area per file).
#include "model/check.hpp"

namespace egress::model {

void check(const sema::Program&, const sema::Catalog&, Diagnostics&) {}

}  // namespace egress::model
