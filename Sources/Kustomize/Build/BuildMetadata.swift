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
  /// `""`, and a map that is then empty (or was null) goes.
  static func finishAnnotations(_ resources: ResourceMap) {
    for resource in resources.resources {
      guard let metadata = resource.metadata, let annotations = metadata["annotations"] else { continue }
      switch annotations {
      case .mapping(let map) where map.entries.isEmpty: metadata["annotations"] = nil
      case .scalar(let scalar) where scalar.kind == .null: metadata["annotations"] = nil
      case .mapping(let map):
        for index in map.entries.indices {
          switch map.entries[index].value {
          case .scalar(let scalar) where scalar.kind == .string: continue
          case .scalar(let scalar): map.entries[index].value = .scalar(.string(scalar.value, mark: scalar.mark))
          case .mapping(let value): map.entries[index].value = .scalar(.string("", mark: value.mark))
          case .sequence(let value): map.entries[index].value = .scalar(.string("", mark: value.mark))
          }
        }
      default: break
      }
    }
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
