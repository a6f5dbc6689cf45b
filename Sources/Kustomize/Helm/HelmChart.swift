import YAML

/// One `helmCharts:` entry (or a `HelmChartInflationGenerator` configuration):
/// a chart that `helm template` renders into resources, with the folders of
/// `helmGlobals:`. Property names are kustomize's keys.
public struct HelmChart: Sendable {
  public var name = ""
  public var version = ""
  public var repo = ""
  public var releaseName = ""
  public var namespace = ""
  public var additionalValuesFiles: [Located<String>] = []
  public var valuesFile = ""
  /// Values written in the kustomization, merged with the chart's as `valuesMerge` says.
  public var valuesInline: Mapping?
  public var valuesMerge = ""
  public var includeCRDs = false
  public var skipHooks = false
  public var apiVersions: [String] = []
  public var kubeVersion = ""
  public var nameTemplate = ""
  public var skipTests = false
  public var debug = false
  public var globals = Globals()
  public var mark: Mark

  /// `helmGlobals:`: where charts are kept, and helm's configuration folder.
  public struct Globals: Sendable {
    /// Relative to the kustomization's folder; `charts` when not given.
    public var chartHome = ""
    /// helm's `HELM_CONFIG_HOME`; a temporary folder when not given.
    public var configHome = ""
    public init() {}
  }

  public init(mark: Mark) {
    self.mark = mark
  }

  typealias Row = FieldTable<HelmChart>.Row

  /// The keys of a `helmCharts:` entry.
  static let chartRows: [Row] = {
    let strings: [(String, WritableKeyPath<HelmChart, String> & Sendable)] = [
      ("name", \.name), ("version", \.version), ("repo", \.repo), ("releaseName", \.releaseName),
      ("namespace", \.namespace), ("valuesFile", \.valuesFile), ("valuesMerge", \.valuesMerge),
      ("kubeVersion", \.kubeVersion), ("nameTemplate", \.nameTemplate),
    ]
    let flags: [(String, WritableKeyPath<HelmChart, Bool> & Sendable)] = [
      ("includeCRDs", \.includeCRDs), ("skipHooks", \.skipHooks), ("skipTests", \.skipTests), ("debug", \.debug),
    ]
    return strings.map { name, path in
      Row(name) { chart, value, _ throws(Diagnostic) in
        chart[keyPath: path] = try NodeDecoding.optionalString(value, field: "helmCharts.\(name)") ?? ""
      }
    }
      + flags.map { name, path in
        Row(name) { chart, value, _ throws(Diagnostic) in
          chart[keyPath: path] = try NodeDecoding.bool(value, field: "helmCharts.\(name)")
        }
      } + [
        Row("additionalValuesFiles") { chart, value, _ throws(Diagnostic) in
          chart.additionalValuesFiles = try NodeDecoding.stringList(value, field: "helmCharts.additionalValuesFiles")
        },
        Row("apiVersions") { chart, value, _ throws(Diagnostic) in
          chart.apiVersions = try NodeDecoding.stringList(value, field: "helmCharts.apiVersions").map(\.value)
        },
        Row("valuesInline") { chart, value, _ throws(Diagnostic) in
          chart.valuesInline = try NodeDecoding.mapping(value, field: "helmCharts.valuesInline")
        },
      ]
  }()

  /// The keys of `helmGlobals:`.
  static let globalRows: [Row] = [
    Row("chartHome") { chart, value, _ throws(Diagnostic) in
      chart.globals.chartHome = try NodeDecoding.optionalString(value, field: "helmGlobals.chartHome") ?? ""
    },
    Row("configHome") { chart, value, _ throws(Diagnostic) in
      chart.globals.configHome = try NodeDecoding.optionalString(value, field: "helmGlobals.configHome") ?? ""
    },
  ]

  static let chart = FieldTable<HelmChart>("helmCharts", chartRows)
  static let globalsTable = FieldTable<HelmChart>("helmGlobals", globalRows)
  /// A `HelmChartInflationGenerator` configuration holds both, read leniently.
  static let plugin = FieldTable<HelmChart>("HelmChartInflationGenerator", chartRows + globalRows)
}

/// The `--helm-api-versions` of a build, as kustomize v5.6 leaves them after
/// each chart. kustomize gives every chart the flag's list itself, then decodes
/// the chart's own `apiVersions` into it: Go reuses the list's storage, so a
/// chart that names n versions overwrites the first n of the flag's for every
/// chart that follows. mrgen reproduces this, so that helm runs the same.
final class HelmFlagVersions {
  private(set) var versions: [String]

  init(_ versions: [String]) {
    self.versions = versions
  }

  /// The versions a chart runs with; its own, if it names any, overwrite the flag's front.
  func versions(for chart: [String]) -> [String] {
    guard !chart.isEmpty else { return versions }
    for index in 0..<min(chart.count, versions.count) { versions[index] = chart[index] }
    return chart
  }
}

/// The helm flags of `kubectl kustomize`: whether helm may run at all, which
/// command, and what overrides every chart's capabilities.
public struct HelmSettings: Sendable {
  /// `--enable-helm`; without it a chart is an error, as in kustomize.
  public var enabled = false
  /// `--helm-command`: a path, or a name looked up on PATH.
  public var command = "helm"
  /// `--helm-api-versions`, each passed on as given.
  public var apiVersions: [String] = []
  /// `--helm-kube-version`.
  public var kubeVersion = ""
  /// `--helm-debug`.
  public var debug = false

  public init(
    enabled: Bool = false, command: String = "helm", apiVersions: [String] = [], kubeVersion: String = "",
    debug: Bool = false
  ) {
    self.enabled = enabled
    self.command = command
    self.apiVersions = apiVersions
    self.kubeVersion = kubeVersion
    self.debug = debug
  }
}
