import YAML

/// `buildMetadata:` of the top kustomization: where each resource came from
/// (`config.kubernetes.io/origin`), which transformers ran over it
/// (`alpha.config.kubernetes.io/transformations`), and the managed-by label.
struct BuildMetadata {
  let options: Set<String>
  /// The top kustomization's directory; recorded paths are relative to it.
  let root: String

  /// The managed-by label value of the reference, Kustomize as built into kubectl 1.33.
  static let managedBy = "kustomize-(devel)"

  func apply(to resources: ResourceMap) {
    let origins = options.contains("originAnnotations")
    let transformations = options.contains("transformerAnnotations")
    let managedByLabel = options.contains("managedByLabel")
    guard origins || transformations || managedByLabel else { return }
    for resource in resources.resources {
      let metadata = resource.object.mapping(creating: "metadata")
      if origins, let origin = resource.origin {
        metadata.mapping(creating: "annotations").setString("config.kubernetes.io/origin", text(origin, indent: ""))
      }
      if transformations, !resource.transformations.isEmpty {
        let list = resource.transformations.map { "- " + text($0, indent: "  ").dropFirst(2) }.joined()
        metadata.mapping(creating: "annotations").setString("alpha.config.kubernetes.io/transformations", list)
      }
      if managedByLabel {
        metadata.mapping(creating: "labels").setString("app.kubernetes.io/managed-by", BuildMetadata.managedBy)
      }
    }
  }

  /// kustomize keeps its build state in annotations and rewrites them at the
  /// end as a map of strings: each value becomes the text it was written with
  /// (`0123`, `true`, `~` stay as written, quoted), a map or list value becomes
  /// `""`, and a map that is then empty goes. Annotations that are not a map
  /// are read as kustomize's YAML library reads them: a scalar as no
  /// annotations at all, a list as key, value, key, value...
  static func finishAnnotations(_ resources: ResourceMap) throws(Diagnostic) {
    for resource in resources.resources {
      guard let metadata = resource.metadata, let annotations = metadata["annotations"] else { continue }
      switch annotations {
      case .mapping(let map) where map.entries.isEmpty: metadata["annotations"] = nil
      case .scalar: metadata["annotations"] = nil
      case .sequence(let list):
        let pairs = try pairs(of: list)
        metadata["annotations"] = pairs.entries.isEmpty ? nil : .mapping(pairs)
      case .mapping(let map):
        for index in map.entries.indices {
          switch map.entries[index].value {
          case .scalar(let scalar) where scalar.kind == .string: continue
          case .scalar(let scalar): map.entries[index].value = .scalar(.string(scalar.value, mark: scalar.mark))
          case .mapping(let value): map.entries[index].value = .scalar(.string("", mark: value.mark))
          case .sequence(let value): map.entries[index].value = .scalar(.string("", mark: value.mark))
          }
        }
      }
    }
  }

  /// A list of annotations read as kustomize's library reads one where it
  /// expects a map: its items in pairs, a key and its value (a map or list
  /// value reads as ""). An odd count, or a key that is not a string, fails
  /// there (a crash or an encoding error), so it is refused here.
  static func pairs(of list: SequenceNode) throws(Diagnostic) -> Mapping {
    guard list.items.count % 2 == 0 else {
      throw Diagnostic(list.mark, "annotations must be a map; this list has an odd number of items")
    }
    let map = Mapping(mark: list.mark)
    for index in stride(from: 0, to: list.items.count, by: 2) {
      guard case .scalar(let key) = list.items[index], key.kind == .string else {
        throw Diagnostic(list.items[index].mark, "annotations must be a map; this key of the list is not a string")
      }
      let value = list.items[index + 1].scalar.map { $0.kind == .null ? "" : $0.value } ?? ""
      map[key.value] = .scalar(.string(value, mark: list.items[index + 1].mark))
    }
    return map
  }

  /// The YAML kustomize writes for an origin, fields in its order.
  func text(_ origin: Resource.Origin, indent: String) -> String {
    switch origin {
    case .file(let path):
      return "\(indent)path: \(Path.relative(path, from: root))\n"
    case .builtin(let configuredIn, let kind, let name, let namespace):
      return "\(indent)configuredIn: \(Path.relative(configuredIn, from: root))\n\(indent)configuredBy:\n"
        + "\(indent)  apiVersion: builtin\n\(indent)  kind: \(kind)\n"
        + (name.isEmpty ? "" : "\(indent)  name: \(name)\n")
        + (namespace.isEmpty ? "" : "\(indent)  namespace: \(namespace)\n")
    }
  }
}
