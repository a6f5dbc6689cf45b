/// kustomize's default name-reference table: for each referred-to type, the
/// fields of other resources that hold its name. When a prefix, suffix or
/// namespace changes a resource's name, these fields follow.
///
/// Written out as data in kustomize's own order (its quirks included, such as
/// the IngressClass group), so behaviour changes are table edits.
public enum NameReferenceSpecs {
  public struct Entry: Sendable {
    public var target: GVK
    public var referrers: [FieldSpec]
  }

  public static let defaults: [Entry] = [
    Entry(
      target: GVK(group: "", version: "", kind: "Deployment"),
      referrers: [
        FieldSpec("spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler")
      ]),
    Entry(
      target: GVK(group: "", version: "", kind: "ReplicationController"),
      referrers: [
        FieldSpec("spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler")
      ]),
    Entry(
      target: GVK(group: "", version: "", kind: "ReplicaSet"),
      referrers: [
        FieldSpec("spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler")
      ]),
    Entry(
      target: GVK(group: "", version: "", kind: "StatefulSet"),
      referrers: [
        FieldSpec("spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler")
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "ConfigMap"),
      referrers: [
        FieldSpec("spec/volumes/configMap/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/containers/env/valueFrom/configMapKeyRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/initContainers/env/valueFrom/configMapKeyRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/containers/envFrom/configMapRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/initContainers/envFrom/configMapRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/volumes/projected/sources/configMap/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/template/spec/volumes/configMap/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/containers/envFrom/configMapRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/volumes/projected/sources/configMap/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/volumes/configMap/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/containers/envFrom/configMapRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/configMap/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/volumes/configMap/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/containers/envFrom/configMapRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/configMap/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/volumes/configMap/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/containers/envFrom/configMapRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/configMap/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/volumes/configMap/name", kind: "Job"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/containers/envFrom/configMapRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/volumes/projected/sources/configMap/name", kind: "Job"),
        FieldSpec("spec/jobTemplate/spec/template/spec/volumes/configMap/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", kind: "CronJob"),
        FieldSpec(
          "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name", kind: "CronJob"),
        FieldSpec("spec/configSource/configMap", kind: "Node"),
        FieldSpec("rules/resourceNames", kind: "Role"),
        FieldSpec("rules/resourceNames", kind: "ClusterRole"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", kind: "Ingress"),
        FieldSpec(
          "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", group: "serving.knative.dev",
          version: "v1", kind: "Service"),
        FieldSpec(
          "spec/template/spec/containers/envFrom/configMapRef/name", group: "serving.knative.dev", version: "v1",
          kind: "Service"),
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "Secret"),
      referrers: [
        FieldSpec("spec/volumes/secret/secretName", version: "v1", kind: "Pod"),
        FieldSpec("spec/containers/env/valueFrom/secretKeyRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/initContainers/env/valueFrom/secretKeyRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/containers/envFrom/secretRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/initContainers/envFrom/secretRef/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/imagePullSecrets/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/volumes/projected/sources/secret/name", version: "v1", kind: "Pod"),
        FieldSpec("spec/template/spec/volumes/secret/secretName", kind: "Deployment"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/containers/envFrom/secretRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/initContainers/envFrom/secretRef/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/imagePullSecrets/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/volumes/projected/sources/secret/name", kind: "Deployment"),
        FieldSpec("spec/template/spec/volumes/secret/secretName", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/containers/envFrom/secretRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/secretRef/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/imagePullSecrets/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/secret/name", kind: "ReplicaSet"),
        FieldSpec("spec/template/spec/volumes/secret/secretName", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/containers/envFrom/secretRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/secretRef/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/imagePullSecrets/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/secret/name", kind: "DaemonSet"),
        FieldSpec("spec/template/spec/volumes/secret/secretName", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/containers/envFrom/secretRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/initContainers/envFrom/secretRef/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/imagePullSecrets/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/volumes/projected/sources/secret/name", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/volumes/secret/secretName", kind: "Job"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/containers/envFrom/secretRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/initContainers/envFrom/secretRef/name", kind: "Job"),
        FieldSpec("spec/template/spec/imagePullSecrets/name", kind: "Job"),
        FieldSpec("spec/template/spec/volumes/projected/sources/secret/name", kind: "Job"),
        FieldSpec("spec/jobTemplate/spec/template/spec/volumes/secret/secretName", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "CronJob"),
        FieldSpec(
          "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name", kind: "CronJob"),
        FieldSpec("spec/jobTemplate/spec/template/spec/imagePullSecrets/name", kind: "CronJob"),
        FieldSpec("spec/tls/secretName", kind: "Ingress"),
        FieldSpec("metadata/annotations/ingress.kubernetes.io\\/auth-secret", kind: "Ingress"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", kind: "Ingress"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", kind: "Ingress"),
        FieldSpec("spec/tls/secretName", kind: "Ingress"),
        FieldSpec("imagePullSecrets/name", kind: "ServiceAccount"),
        FieldSpec("parameters/secretName", kind: "StorageClass"),
        FieldSpec("parameters/adminSecretName", kind: "StorageClass"),
        FieldSpec("parameters/userSecretName", kind: "StorageClass"),
        FieldSpec("parameters/secretRef", kind: "StorageClass"),
        FieldSpec("rules/resourceNames", kind: "Role"),
        FieldSpec("rules/resourceNames", kind: "ClusterRole"),
        FieldSpec(
          "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", group: "serving.knative.dev", version: "v1",
          kind: "Service"),
        FieldSpec("spec/azureFile/secretName", kind: "PersistentVolume"),
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "Service"),
      referrers: [
        FieldSpec("spec/serviceName", group: "apps", kind: "StatefulSet"),
        FieldSpec("spec/rules/http/paths/backend/serviceName", kind: "Ingress"),
        FieldSpec("spec/backend/serviceName", kind: "Ingress"),
        FieldSpec("spec/rules/http/paths/backend/service/name", kind: "Ingress"),
        FieldSpec("spec/defaultBackend/service/name", kind: "Ingress"),
        FieldSpec("spec/service/name", group: "apiregistration.k8s.io", kind: "APIService"),
        FieldSpec(
          "webhooks/clientConfig/service", group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"
        ),
        FieldSpec(
          "webhooks/clientConfig/service", group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
      ]),
    Entry(
      target: GVK(group: "rbac.authorization.k8s.io", version: "", kind: "Role"),
      referrers: [
        FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "RoleBinding")
      ]),
    Entry(
      target: GVK(group: "rbac.authorization.k8s.io", version: "", kind: "ClusterRole"),
      referrers: [
        FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "RoleBinding"),
        FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "ServiceAccount"),
      referrers: [
        FieldSpec("subjects", group: "rbac.authorization.k8s.io", kind: "RoleBinding"),
        FieldSpec("subjects", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
        FieldSpec("spec/serviceAccountName", kind: "Pod"),
        FieldSpec("spec/template/spec/serviceAccountName", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/serviceAccountName", kind: "Deployment"),
        FieldSpec("spec/template/spec/serviceAccountName", kind: "ReplicationController"),
        FieldSpec("spec/jobTemplate/spec/template/spec/serviceAccountName", kind: "CronJob"),
        FieldSpec("spec/template/spec/serviceAccountName", kind: "Job"),
        FieldSpec("spec/template/spec/serviceAccountName", kind: "DaemonSet"),
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "PersistentVolumeClaim"),
      referrers: [
        FieldSpec("spec/volumes/persistentVolumeClaim/claimName", kind: "Pod"),
        FieldSpec("spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "Deployment"),
        FieldSpec("spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "ReplicationController"),
        FieldSpec("spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "CronJob"),
        FieldSpec("spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "Job"),
        FieldSpec("spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "DaemonSet"),
      ]),
    Entry(
      target: GVK(group: "", version: "v1", kind: "PersistentVolume"),
      referrers: [
        FieldSpec("spec/volumeName", kind: "PersistentVolumeClaim"),
        FieldSpec("rules/resourceNames", kind: "ClusterRole"),
      ]),
    Entry(
      target: GVK(group: "storage.k8s.io", version: "v1", kind: "StorageClass"),
      referrers: [
        FieldSpec("spec/storageClassName", kind: "PersistentVolume"),
        FieldSpec("spec/storageClassName", kind: "PersistentVolumeClaim"),
        FieldSpec("spec/volumeClaimTemplates/spec/storageClassName", kind: "StatefulSet"),
      ]),
    Entry(
      target: GVK(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass"),
      referrers: [
        FieldSpec("spec/priorityClassName", kind: "Pod"),
        FieldSpec("spec/template/spec/priorityClassName", kind: "StatefulSet"),
        FieldSpec("spec/template/spec/priorityClassName", kind: "Deployment"),
        FieldSpec("spec/template/spec/priorityClassName", kind: "ReplicationController"),
        FieldSpec("spec/jobTemplate/spec/template/spec/priorityClassName", kind: "CronJob"),
        FieldSpec("spec/template/spec/priorityClassName", kind: "Job"),
        FieldSpec("spec/template/spec/priorityClassName", kind: "DaemonSet"),
      ]),
    Entry(
      target: GVK(group: "networking.k8s.io/v1", version: "v1", kind: "IngressClass"),
      referrers: [
        FieldSpec("spec/ingressClassName", kind: "Ingress")
      ]),
    Entry(
      target: GVK(group: "admissionregistration.k8s.io", version: "", kind: "ValidatingAdmissionPolicy"),
      referrers: [
        FieldSpec("spec/policyName", kind: "ValidatingAdmissionPolicyBinding")
      ]),
  ]
}
