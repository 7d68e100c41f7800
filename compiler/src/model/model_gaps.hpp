// Checks that public AKS-with-Azure-Firewall designs showed missing (issue 10, parts 2 and 4; tests/designs/README.md,
// "What egress missed"). Each cites its Microsoft Learn source beside the code and in docs/diagnostics/model-gaps.md.
#pragma once
#include "egress/diagnostic.hpp"

namespace egress::model {

class Network;

/// E0253 a Kubernetes version older than any AKS still creates; E0254 a kubenet cluster whose node subnets do not
/// share one route table; W0213 routes that send only part of the public address space to the firewall; W0214 a
/// network rule that allows TCP or UDP from anywhere to anywhere; W0215 outbound load_balancer behind a firewall
/// route (check_model_gaps.cpp).
void check_model_gaps(const Network& network, Diagnostics& diags);

}  // namespace egress::model
