import YAML

/// One step of the build: edits the resources in place.
public protocol Transformer {
  func apply(to resources: inout ResourceMap) throws(SourceError)
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

  func apply(to resources: inout ResourceMap) throws(SourceError) {
    guard !pairs.isEmpty else { return }
    for resource in resources.resources {
      for spec in fieldSpecs where spec.applies(to: resource.gvk) {
        try spec.visit(resource.object, creating: .mapping) { (parent, index) throws(SourceError) in
          guard case .mapping(let target) = parent.entries[index].value else {
            let value = parent.entries[index].value
            throw SourceError(value.mark, "\(field) at '\(spec.pathText)' must be a map, not \(NodeDecoding.describe(value))")
          }
          target.set(pairs.lazy.map { (key: $0.key, value: Node.scalar(.string($0.value))) })
        }
      }
    }
  }
}
