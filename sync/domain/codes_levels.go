package domain

// Codes of the organisation's levels: the tree of nodes, handing a case upward (上报) and
// what each level may see and do.
const (
	CodeRefOrgParent      = "ref_org_parent"      // a node's parent is itself or not of a higher level
	CodeRefOrgNotStreet   = "ref_org_not_street"  // key: a station belongs to a street, not to this node
	CodeEscalateTarget    = "escalate_target"     // an escalation names no node
	CodeEscalateSame      = "escalate_same"       // the case is already with that node
	CodeEscalateNoParent  = "escalate_no_parent"  // name: the case's level has no level above it
	CodeEscalateBadTarget = "escalate_bad_target" // name: a node that is not above the case's level
	CodeCaseOtherLevel    = "case_other_level"    // name: the case is handled by another level
	CodeDeptOtherLevel    = "dept_other_level"    // name, level: a department the case's level may not use
	CodeBadNode           = "bad_node"            // a node that does not exist or lies outside the account's
)

var levelCodes = []CodeInfo{
	hub(CodeRefOrgParent), hub(CodeRefOrgNotStreet, "key"), shared(CodeEscalateTarget), shared(CodeEscalateSame),
	hub(CodeEscalateNoParent, "name"), hub(CodeEscalateBadTarget, "name"), hub(CodeCaseOtherLevel, "name"),
	hub(CodeDeptOtherLevel, "name", "level"), hub(CodeBadNode),
}

func init() { registry = append(registry, levelCodes...) }
