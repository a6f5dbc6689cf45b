import YAML

/// One step of the build: edits the resources in place.
public protocol Transformer {
  /// The kustomization entry that configured it; a conflict it causes names it.
  var mark: Mark? { get }
  /// What it does, for messages: "setting the namespace to 'prod'".
  var action: String { get }
  func apply(to resources: inout ResourceMap) throws(Diagnostic)
}

/// A transformer a kustomization field configures, one of kustomize's builtins.
public protocol BuiltinTransformer: Transformer {
  /// kustomize's name for it: the `kind` a builtin transformer configuration
  /// names, and what `buildMetadata` records.
  static var kind: String { get }
  /// What `buildMetadata: [transformerAnnotations]` records for this run (kustomize
  /// records some runs twice and some not at all).
  var recordedKinds: [String] { get }
}

extension BuiltinTransformer {
  public var recordedKinds: [String] { [Self.kind] }
  public var action: String { "the \(Self.kind)" }
}

extension Transformer {
  public var mark: Mark? { nil }

  /// Applies the transformer, then checks that the ids it changed are still unique.
  public func run(on resources: inout ResourceMap) throws(Diagnostic) {
    try apply(to: &resources)
    do {
      try resources.settle(after: action)
    } catch {
      var error = error
      if let mark { error.notes.append(Diagnostic.Note(mark, "configured here")) }
      throw error
    }
  }
}

extension Mapping {
  /// Sets `key` to a string, replacing any value it had.
  func setString(_ key: String, _ value: String) {
    self[key] = .scalar(.string(value))
  }
}

/// Shared by the label and annotation transformers: adds string pairs to the
/// maps the field specs reach, creating the maps where the spec says so.
struct MapEntrySetter {
  var pairs: StringPairs
  var fieldSpecs: [FieldSpec]
  var field: String

  func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !pairs.isEmpty else { return }
    for resource in resources.resources {
      // Per key, the maps it is new to: kustomize gives them one shared value (see `SharedValue`).
      var created: [[(map: [PathStep], key: String)]] = Array(repeating: [], count: pairs.count)
      var overwrote = false
      for spec in fieldSpecs where spec.applies(to: resource.gvk) {
        try spec.visitWithPath(resource.object, creating: .mapping) { (parent, index, trail) throws(Diagnostic) in
          guard case .mapping(let target) = parent.entries[index].value else {
            let value = parent.entries[index].value
            throw Diagnostic(
              value.mark, "\(field) at '\(spec.pathText)' must be a map, not \(NodeDecoding.describe(value))")
          }
          // The keys already there, looked up through a set once the map is large.
          let existing: Set<String>? =
            target.entries.count >= 16 ? Set(target.entries.lazy.map(\.key.value)) : nil
          for (position, pair) in pairs.enumerated() {
            if !(existing?.contains(pair.key) ?? (target[pair.key] != nil)) {
              created[position].append((trail + [.key(parent.entries[index].key.value)], pair.key))
            } else {
              overwrote = true
            }
          }
          target.set(pairs.lazy.map { (key: $0.key, value: Node.scalar(.string($0.value))) })
        }
      }
      // A value written over one kustomize shares is written in all its places.
      if overwrote { resource.propagateSharedValues() }
      for (position, places) in created.enumerated() where places.count > 1 {
        resource.sharedValues.append(SharedValue(places: places, value: .string(pairs[position].value)))
      }
    }
  }
}
