import YAML

/// What a kustomization and those it includes have built so far: resources,
/// the field specs their configurations add, and their vars.
struct Accumulation {
  var resources = ResourceMap()
  var config = TransformerConfig()
  private(set) var vars: [Var] = []
  private var varNames: [String: Int] = [:]

  /// Takes in what an included kustomization built; `mark` is where it was included.
  mutating func absorb(_ other: Accumulation, at mark: Mark) throws(Diagnostic) {
    try resources.append(contentsOf: other.resources)
    try config.merge(other.config, at: mark)
    try addVars(other.vars)
  }

  mutating func addVars(_ added: [Var]) throws(Diagnostic) {
    for variable in added {
      if let existing = varNames[variable.name] {
        throw Diagnostic(
          variable.mark, "var '\(variable.name)' already encountered",
          notes: [Diagnostic.Note(vars[existing].mark, "first defined here")])
      }
      varNames[variable.name] = vars.count
      vars.append(variable)
    }
  }
}
