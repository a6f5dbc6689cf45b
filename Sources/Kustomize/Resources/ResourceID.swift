/// Group, version and kind: the type of a Kubernetes object.
public struct GVK: Hashable, Sendable, CustomStringConvertible {
  public var group: String
  public var version: String
  public var kind: String

  public init(group: String = "", version: String = "", kind: String = "") {
    self.group = group
    self.version = version
    self.kind = kind
  }

  /// Splits an `apiVersion` such as `apps/v1` (group `apps`) or `v1` (core group).
  public init(apiVersion: String, kind: String) {
    if let slash = apiVersion.lastIndex(of: "/") {
      group = String(apiVersion[..<slash])
      version = String(apiVersion[apiVersion.index(after: slash)...])
    } else {
      group = ""
      version = apiVersion
    }
    self.kind = kind
  }

  public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

  /// True when every field the selector sets matches; empty fields are wildcards.
  public func isSelected(by selector: GVK) -> Bool {
    (selector.group.isEmpty || selector.group == group)
      && (selector.version.isEmpty || selector.version == version)
      && (selector.kind.isEmpty || selector.kind == kind)
  }

  /// kustomize's spelling, `Kind.version.group`, used in messages and in sort keys.
  public var description: String {
    "\(kind.isEmpty ? "[noKind]" : kind).\(version.isEmpty ? "[noVer]" : version).\(group.isEmpty ? "[noGrp]" : group)"
  }

  /// Whether objects of this type live outside namespaces.
  public var isClusterScoped: Bool {
    GVK.clusterScopedKinds.contains(GroupKind(group: group, kind: kind))
  }

  struct GroupKind: Hashable {
    var group: String
    var kind: String
  }

  /// The cluster-scoped kinds of the Kubernetes API schema kustomize v5.6 embeds;
  /// every other kind, custom resources included, is taken to be namespaced.
  static let clusterScopedKinds: Set<GroupKind> = [
    GroupKind(group: "", kind: "ComponentStatus"),
    GroupKind(group: "", kind: "Namespace"),
    GroupKind(group: "", kind: "Node"),
    GroupKind(group: "", kind: "PersistentVolume"),
    GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
    GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
    GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"),
    GroupKind(group: "apiregistration.k8s.io", kind: "APIService"),
    GroupKind(group: "authentication.k8s.io", kind: "TokenReview"),
    GroupKind(group: "authorization.k8s.io", kind: "SelfSubjectAccessReview"),
    GroupKind(group: "authorization.k8s.io", kind: "SelfSubjectRulesReview"),
    GroupKind(group: "authorization.k8s.io", kind: "SubjectAccessReview"),
    GroupKind(group: "certificates.k8s.io", kind: "CertificateSigningRequest"),
    GroupKind(group: "flowcontrol.apiserver.k8s.io", kind: "FlowSchema"),
    GroupKind(group: "flowcontrol.apiserver.k8s.io", kind: "PriorityLevelConfiguration"),
    GroupKind(group: "networking.k8s.io", kind: "IngressClass"),
    GroupKind(group: "node.k8s.io", kind: "RuntimeClass"),
    GroupKind(group: "policy", kind: "PodSecurityPolicy"),
    GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRole"),
    GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
    GroupKind(group: "scheduling.k8s.io", kind: "PriorityClass"),
    GroupKind(group: "storage.k8s.io", kind: "CSIDriver"),
    GroupKind(group: "storage.k8s.io", kind: "CSINode"),
    GroupKind(group: "storage.k8s.io", kind: "StorageClass"),
    GroupKind(group: "storage.k8s.io", kind: "VolumeAttachment"),
  ]
}

/// Identifies a resource: its type, name and namespace.
public struct ResourceID: Hashable, Sendable, CustomStringConvertible {
  public var gvk: GVK
  public var name: String
  public var namespace: String

  public init(gvk: GVK, name: String, namespace: String = "") {
    self.gvk = gvk
    self.name = name
    self.namespace = namespace
  }

  /// The namespace with the empty one read as `default`, as the API server reads it.
  public var effectiveNamespace: String {
    if gvk.isClusterScoped { return "" }
    return namespace.isEmpty ? "default" : namespace
  }

  public func isNamespaceEqual(_ other: ResourceID) -> Bool {
    effectiveNamespace == other.effectiveNamespace
  }

  /// The key under which two ids count as the same resource.
  public var key: ResourceID {
    ResourceID(gvk: gvk, name: name, namespace: effectiveNamespace)
  }

  /// kustomize's spelling, `Kind.version.group/name.namespace`.
  public var description: String {
    "\(gvk)/\(name).\(namespace.isEmpty ? "[noNs]" : namespace)"
  }
}
