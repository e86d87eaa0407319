"""Oracle probe: workflows, their nodes, bindings, sub-workflows and default launch plans."""
