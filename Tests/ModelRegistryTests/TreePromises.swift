import Foundation
import Kustomize
import YAML

/// What every render of the tree promises beyond the images' contracts, each
/// the guard of a defect a review found on a real cluster's terms.
extension RenderedTree {
  func treeViolations(selection: [String], namespace: String) -> [String] {
    var violations: [String] = []
    // The UI and the controller find the registry as the one Service labelled
    // component: model-registry, through a port named http-api or https-api;
    // the controller only through http-api.
    let registries = resources.filter {
      $0.gvk.kind == "Service" && $0.metadata?["labels"]?.mapping?.string("component") == "model-registry"
    }
    if registries.count != 1 {
      violations.append(
        "\(registries.count) Services are labelled component: model-registry; the UI and the controller need exactly one"
      )
    }
    let portNames = Set(
      registries.flatMap {
        ($0.object["spec"]?.mapping?["ports"]?.sequence?.items ?? []).compactMap { $0.mapping?.string("name") }
      })
    if portNames.isDisjoint(with: ["http-api", "https-api"]) {
      violations.append("the registry Service has no port named http-api or https-api")
    }
    if selection.contains("controller") && !portNames.contains("http-api") {
      violations.append("the controller needs the registry Service's port http-api")
    }
    for container in containers where container.spec.string("name") == "storage-initializer" {
      let address = environment(of: container.spec)["MODEL_REGISTRY_BASE_URL"].flatMap { $0 } ?? ""
      let port = address.split(separator: ":").last.map(String.init) ?? ""
      let httpPorts = registries.flatMap {
        ($0.object["spec"]?.mapping?["ports"]?.sequence?.items ?? []).compactMap(\.mapping)
      }
      .filter { $0.string("name") == "http-api" }.compactMap { $0["port"]?.scalar?.value }
      if !address.hasPrefix("model-registry-service.\(namespace).svc") || !httpPorts.contains(port) {
        violations.append("the storage initializer's address \(address) is not the registry's plain-HTTP port")
      }
    }
    // Every ConfigMap is read by a pod: a volume, a variable or envFrom.
    let read = Set(configMapsReadByPods)
    for configMap in resources where configMap.gvk.kind == "ConfigMap" && !read.contains(configMap.name) {
      violations.append("ConfigMap \(configMap.name) is read by nothing")
    }
    // Pods that are not HTTP services stay out of a mesh, even with injection on.
    for resource in resources {
      guard let template = podTemplate(of: resource) else { continue }
      let labels = template["metadata"]?.mapping?["labels"]?.mapping
      let component = labels?.string("component") ?? ""
      if ["model-registry-db", "model-catalog-postgres", "model-registry-seed"].contains(component),
        labels?.string("sidecar.istio.io/inject") != "false"
      {
        violations.append("\(resource.gvk.kind)/\(resource.name) would get a mesh sidecar")
      }
      // Under OpenShift's restricted-v2 SCC no pod pins its user, group or fsGroup.
      if selection.contains("openshift") {
        let spec = template["spec"]?.mapping
        var contexts = [spec?["securityContext"]?.mapping]
        contexts += (spec?["containers"]?.sequence?.items ?? []).map { $0.mapping?["securityContext"]?.mapping }
        for key in ["runAsUser", "runAsGroup", "fsGroup"] where contexts.contains(where: { $0?[key] != nil }) {
          violations.append("\(resource.gvk.kind)/\(resource.name) pins \(key), which restricted-v2 refuses")
        }
        if template["metadata"]?.mapping?["annotations"]?.mapping?.string("openshift.io/required-scc")
          != "restricted-v2"
        {
          violations.append("\(resource.gvk.kind)/\(resource.name) does not ask for the restricted-v2 SCC")
        }
      }
    }
    // Cluster-scoped RBAC objects carry the namespace in their names (as
    // written: vars fill them in after the resource's identity is set).
    for resource in resources where ["ClusterRole", "ClusterRoleBinding"].contains(resource.gvk.kind) {
      let name = resource.metadata?.string("name") ?? resource.name
      if !name.hasSuffix("-" + namespace) {
        violations.append("\(resource.gvk.kind)/\(name) would be shared by registries in other namespaces")
      }
    }
    violations += proxyAccessViolations
    return violations
  }

  /// kube-rbac-proxy checks each request with the verb of its HTTP method on
  /// the resource its config names: a Role in the render must grant every such
  /// verb there, or writes through the proxy are refused to everyone it binds.
  var proxyAccessViolations: [String] {
    let verbs: Set<String> = ["get", "create", "update", "patch", "delete"]
    var violations: [String] = []
    let rules = resources.filter { $0.gvk.kind == "Role" }.flatMap { role in
      (role.object["rules"]?.sequence?.items ?? []).compactMap(\.mapping)
    }
    func strings(_ rule: Mapping, _ key: String) -> Set<String> {
      Set((rule[key]?.sequence?.items ?? []).compactMap { $0.scalar?.value })
    }
    for config in resources where config.gvk.kind == "ConfigMap" {
      guard let text = config.object["data"]?.mapping?.string("config.yaml"),
        let document = try? Parser().parse(text, file: config.name).first?.mapping,
        let attributes = document["authorization"]?.mapping?["resourceAttributes"]?.mapping
      else { continue }
      if attributes["verb"] != nil {
        violations.append("ConfigMap/\(config.name) fixes a verb, which kube-rbac-proxy v0.18.2 does not read")
      }
      let group = attributes.string("apiGroup") ?? ""
      let resource = attributes.string("resource") ?? ""
      let name = attributes.string("name") ?? ""
      let granted = rules.filter {
        strings($0, "apiGroups").contains(group) && strings($0, "resources").contains(resource)
          && strings($0, "resourceNames").contains(name)
      }.reduce(into: Set<String>()) { $0.formUnion(strings($1, "verbs")) }
      if !verbs.isSubset(of: granted) {
        violations.append(
          "ConfigMap/\(config.name): no Role grants \(verbs.subtracting(granted).sorted()) on \(resource)/\(name) in '\(group)'"
        )
      }
      if group.isEmpty {
        violations.append("ConfigMap/\(config.name): the proxy checks a real resource, so its writers may change it")
      }
    }
    return violations
  }

  /// The ConfigMaps that pod templates mount or take variables from.
  var configMapsReadByPods: [String] {
    var names: [String] = []
    for resource in resources {
      guard let spec = podTemplate(of: resource)?["spec"]?.mapping else { continue }
      for volume in (spec["volumes"]?.sequence?.items ?? []).compactMap(\.mapping) {
        if let name = volume["configMap"]?.mapping?.string("name") { names.append(name) }
        for source in volume["projected"]?.mapping?["sources"]?.sequence?.items ?? [] {
          if let name = source.mapping?["configMap"]?.mapping?.string("name") { names.append(name) }
        }
      }
      for container in (spec["containers"]?.sequence?.items ?? []).compactMap(\.mapping) {
        for item in container["envFrom"]?.sequence?.items ?? [] {
          if let name = item.mapping?["configMapRef"]?.mapping?.string("name") { names.append(name) }
        }
        for item in container["env"]?.sequence?.items ?? [] {
          if let name = item.mapping?["valueFrom"]?.mapping?["configMapKeyRef"]?.mapping?.string("name") {
            names.append(name)
          }
        }
      }
    }
    return names
  }
}
