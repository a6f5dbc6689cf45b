/// kustomize's default field specs: which fields each transformer touches, as data.
public enum DefaultFieldSpecs {
  /// Template metadata of the workload kinds: where pod labels and annotations live.
  private static func templateMetadata(_ field: String, includeClaimTemplates: Bool) -> [FieldSpec] {
    var specs = [
      FieldSpec("spec/template/metadata/\(field)", version: "v1", kind: "ReplicationController", create: true),
      FieldSpec("spec/template/metadata/\(field)", kind: "Deployment", create: true),
      FieldSpec("spec/template/metadata/\(field)", kind: "ReplicaSet", create: true),
      FieldSpec("spec/template/metadata/\(field)", kind: "DaemonSet", create: true),
      FieldSpec("spec/template/metadata/\(field)", group: "apps", kind: "StatefulSet", create: true),
    ]
    if includeClaimTemplates {
      specs.append(
        FieldSpec("spec/volumeClaimTemplates[]/metadata/\(field)", group: "apps", kind: "StatefulSet", create: true))
    }
    specs += [
      FieldSpec("spec/template/metadata/\(field)", group: "batch", kind: "Job", create: true),
      FieldSpec("spec/jobTemplate/metadata/\(field)", group: "batch", kind: "CronJob", create: true),
      FieldSpec("spec/jobTemplate/spec/template/metadata/\(field)", group: "batch", kind: "CronJob", create: true),
    ]
    return specs
  }

  /// `labels` with `includeTemplates`: pod templates and claim templates.
  public static let templateLabels: [FieldSpec] = templateMetadata("labels", includeClaimTemplates: true)

  /// Every resource's own labels.
  public static let metadataLabels = FieldSpec("metadata/labels", create: true)

  /// `commonLabels` and `labels` with `includeSelectors`: selectors, then metadata and templates.
  public static let commonLabels: [FieldSpec] = {
    var specs: [FieldSpec] = [
      FieldSpec("spec/selector", version: "v1", kind: "Service", create: true),
      FieldSpec("spec/selector", version: "v1", kind: "ReplicationController", create: true),
      FieldSpec("spec/selector/matchLabels", kind: "Deployment", create: true),
    ]
    let affinityPaths = [
      "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
      "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
    ]
    specs += affinityPaths.map { FieldSpec($0, group: "apps", kind: "Deployment") }
    specs += [
      FieldSpec("spec/selector/matchLabels", kind: "ReplicaSet", create: true),
      FieldSpec("spec/selector/matchLabels", kind: "DaemonSet", create: true),
      FieldSpec("spec/selector/matchLabels", group: "apps", kind: "StatefulSet", create: true),
      FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", group: "apps", kind: "StatefulSet", create: true),
    ]
    specs += affinityPaths.map { FieldSpec($0, group: "apps", kind: "StatefulSet") }
    specs += [
      FieldSpec("spec/selector/matchLabels", group: "batch", kind: "Job"),
      FieldSpec("spec/jobTemplate/spec/selector/matchLabels", group: "batch", kind: "CronJob"),
      FieldSpec("spec/selector/matchLabels", group: "policy", kind: "PodDisruptionBudget"),
      FieldSpec("spec/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
      FieldSpec("spec/ingress/from/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
      FieldSpec("spec/egress/to/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
    ]
    return specs + [metadataLabels] + templateLabels
  }()

  /// `commonAnnotations`: every resource's annotations and its pod templates'.
  public static let commonAnnotations: [FieldSpec] =
    [FieldSpec("metadata/annotations", create: true)] + templateMetadata("annotations", includeClaimTemplates: false)

  /// Fields the `namespace` transformer sets besides `metadata.namespace`.
  public static let namespace: [FieldSpec] = [
    FieldSpec("metadata/name", version: "v1", kind: "Namespace", create: true),
    FieldSpec("spec/service/namespace", group: "apiregistration.k8s.io", kind: "APIService", create: true),
    FieldSpec(
      "spec/conversion/webhook/clientConfig/service/namespace", group: "apiextensions.k8s.io",
      kind: "CustomResourceDefinition"),
  ]

  /// Kinds whose names never take a prefix or suffix.
  public static let prefixSuffixSkipped: [GVK] = [
    GVK(kind: "CustomResourceDefinition"),
    GVK(group: "apiregistration.k8s.io", kind: "APIService"),
    GVK(kind: "Namespace"),
  ]

  /// Where `replicas` entries set counts, in the order kustomize names them in errors.
  public static let replicas: [FieldSpec] = [
    FieldSpec("spec/replicas", kind: "Deployment", create: true),
    FieldSpec("spec/replicas", kind: "StatefulSet", create: true),
    FieldSpec("spec/replicas", kind: "ReplicaSet", create: true),
    FieldSpec("spec/replicas", kind: "ReplicationController", create: true),
  ]

  /// Where `$(VAR)` references are replaced, in kustomize's order.
  public static let varReference: [FieldSpec] = [
    FieldSpec("spec/jobTemplate/spec/template/spec/containers/args", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/containers/command", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/containers/env/value", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/args", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/command", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/env/value", kind: "CronJob"),
    FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath", kind: "CronJob"),
    FieldSpec("spec/template/spec/containers/args", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/containers/command", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/containers/env/value", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/containers/volumeMounts/mountPath", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/initContainers/args", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/initContainers/command", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/initContainers/env/value", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/initContainers/volumeMounts/mountPath", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/volumes/nfs/server", kind: "DaemonSet"),
    FieldSpec("spec/template/spec/containers/args", kind: "Deployment"),
    FieldSpec("spec/template/spec/containers/command", kind: "Deployment"),
    FieldSpec("spec/template/spec/containers/env/value", kind: "Deployment"),
    FieldSpec("spec/template/spec/containers/volumeMounts/mountPath", kind: "Deployment"),
    FieldSpec("spec/template/spec/initContainers/args", kind: "Deployment"),
    FieldSpec("spec/template/spec/initContainers/command", kind: "Deployment"),
    FieldSpec("spec/template/spec/initContainers/env/value", kind: "Deployment"),
    FieldSpec("spec/template/spec/initContainers/volumeMounts/mountPath", kind: "Deployment"),
    FieldSpec("spec/template/spec/volumes/nfs/server", kind: "Deployment"),
    // The reference substitutes pod template annotations of Deployments only, and no CronJob's NFS server.
    FieldSpec("spec/template/metadata/annotations", kind: "Deployment"),
    FieldSpec("spec/rules/host", kind: "Ingress"),
    FieldSpec("spec/tls/hosts", kind: "Ingress"),
    FieldSpec("spec/tls/secretName", kind: "Ingress"),
    FieldSpec("spec/template/spec/containers/args", kind: "Job"),
    FieldSpec("spec/template/spec/containers/command", kind: "Job"),
    FieldSpec("spec/template/spec/containers/env/value", kind: "Job"),
    FieldSpec("spec/template/spec/containers/volumeMounts/mountPath", kind: "Job"),
    FieldSpec("spec/template/spec/initContainers/args", kind: "Job"),
    FieldSpec("spec/template/spec/initContainers/command", kind: "Job"),
    FieldSpec("spec/template/spec/initContainers/env/value", kind: "Job"),
    FieldSpec("spec/template/spec/initContainers/volumeMounts/mountPath", kind: "Job"),
    FieldSpec("spec/template/spec/volumes/nfs/server", kind: "Job"),
    FieldSpec("spec/containers/args", kind: "Pod"),
    FieldSpec("spec/containers/command", kind: "Pod"),
    FieldSpec("spec/containers/env/value", kind: "Pod"),
    FieldSpec("spec/containers/volumeMounts/mountPath", kind: "Pod"),
    FieldSpec("spec/initContainers/args", kind: "Pod"),
    FieldSpec("spec/initContainers/command", kind: "Pod"),
    FieldSpec("spec/initContainers/env/value", kind: "Pod"),
    FieldSpec("spec/initContainers/volumeMounts/mountPath", kind: "Pod"),
    FieldSpec("spec/volumes/nfs/server", kind: "Pod"),
    FieldSpec("spec/template/spec/containers/args", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/containers/command", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/containers/env/value", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/containers/volumeMounts/mountPath", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/initContainers/args", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/initContainers/command", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/initContainers/env/value", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/initContainers/volumeMounts/mountPath", kind: "ReplicaSet"),
    FieldSpec("spec/template/spec/volumes/nfs/server", kind: "ReplicaSet"),
    FieldSpec("spec/ports/port", kind: "Service"),
    FieldSpec("spec/ports/targetPort", kind: "Service"),
    FieldSpec("spec/template/spec/containers/args", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/containers/command", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/containers/env/value", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/containers/volumeMounts/mountPath", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/initContainers/args", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/initContainers/command", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/initContainers/env/value", kind: "StatefulSet"),
    FieldSpec("spec/template/spec/initContainers/volumeMounts/mountPath", kind: "StatefulSet"),
    FieldSpec("spec/volumeClaimTemplates/spec/nfs/server", kind: "StatefulSet"),
    FieldSpec("spec/nfs/server", kind: "PersistentVolume"),
    FieldSpec("metadata/labels"),
    FieldSpec("metadata/annotations"),
  ]
}
