import ArgumentParser
import Kustomize

/// The build flags of `kubectl kustomize` and `kustomize build`, spelled as
/// there, so that scripts and Argo CD's `kustomize.buildOptions` can pass them.
///
/// The helm flags work as kustomize's do. The flags for exec and KRM function
/// plugins are accepted and change nothing: mrgen runs only kustomize's
/// builtin plugins, and refuses any other configuration with a message.
struct KustomizeFlags: ParsableArguments {
  @Flag(help: "Run helm for helmCharts and HelmChartInflationGenerator configurations, as kustomize does.")
  var enableHelm = false

  @Option(help: ArgumentHelp("The helm command (a path, or a name looked up on PATH).", valueName: "command"))
  var helmCommand = "helm"

  @Option(
    help: ArgumentHelp(
      "Kubernetes API versions for helm's Capabilities.APIVersions; repeatable, each passed on as given.",
      valueName: "versions"))
  var helmApiVersions: [String] = []

  @Option(help: ArgumentHelp("The Kubernetes version for helm's Capabilities.KubeVersion.", valueName: "version"))
  var helmKubeVersion = ""

  @Flag(help: "Run helm template with --debug.")
  var helmDebug = false

  @Flag(
    help: "Add the label app.kubernetes.io/managed-by (deprecated in kustomize: use buildMetadata: [managedByLabel]).")
  var enableManagedbyLabel = false

  @Flag(help: "Accepted for kustomize's sake; mrgen runs no external plugins.")
  var enableAlphaPlugins = false

  @Flag(help: "Accepted for kustomize's sake; mrgen runs no exec plugins.")
  var enableExec = false

  @Option(
    help: ArgumentHelp(
      "Accepted for kustomize's sake (storage for KRM functions, which mrgen does not run).", valueName: "mount"))
  var mount: [String] = []

  @Flag(help: "Accepted for kustomize's sake (network for KRM functions, which mrgen does not run).")
  var network = false

  @Option(
    help: ArgumentHelp("Accepted for kustomize's sake (the container network of KRM functions).", valueName: "name"))
  var networkName = "bridge"

  @Option(
    name: [.short, .customLong("env")],
    help: ArgumentHelp(
      "Accepted for kustomize's sake (environment for KRM functions, which mrgen does not run).",
      valueName: "name=value"))
  var environment: [String] = []

  @Flag(help: "Accepted for kustomize's sake (the user KRM functions run as).")
  var asCurrentUser = false

  var helm: HelmSettings {
    HelmSettings(
      enabled: enableHelm, command: helmCommand, apiVersions: helmApiVersions, kubeVersion: helmKubeVersion,
      debug: helmDebug)
  }
}
