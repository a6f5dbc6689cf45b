import YAML

/// The last step before output, as in kustomize: resources annotated
/// `config.kubernetes.io/local-config` (with any value but `false`) served the
/// build (as replacement sources, say) and are not written out.
enum LocalConfig {
  static let annotation = "config.kubernetes.io/local-config"

  static func isLocal(_ resource: Resource) -> Bool {
    guard let value = resource.metadata?["annotations"]?.mapping?[annotation] else { return false }
    return value.scalar?.value != "false"
  }

  static func drop(from resources: inout ResourceMap) {
    for resource in resources.resources where isLocal(resource) { resources.remove(resource) }
  }
}
