import YAML

/// A kustomization file (`kind: Kustomization` or `kind: Component`), decoded into typed fields.
///
/// Property names are the kustomization keys, so one search finds the decoder,
/// the transformer and the tests for a field.
public struct Kustomization: Sendable {
  public enum Kind: String, Sendable {
    case kustomization = "Kustomization"
    case component = "Component"
  }

  /// The kustomization file itself.
  public var file: String
  /// The directory holding the file: the root that relative paths resolve against.
  public var directory: String
  public var kind: Kind = .kustomization
  /// `metadata.name`; kustomize ignores it, tools may read it.
  public var name: String?
  /// `metadata.annotations`, in file order; kustomize ignores them, tools (the
  /// Model Registry catalog) keep their own data there.
  public var annotations: [Located<String>] = []
  public var annotationKeys: [String] = []

  public var resources: [Located<String>] = []
  public var components: [Located<String>] = []
  public var namespace: Located<String>?
  public var namePrefix: Located<String>?
  public var nameSuffix: Located<String>?
  public var commonLabels: Located<StringPairs>?
  public var labels: [Label] = []
  public var commonAnnotations: Located<StringPairs>?
  public var images: [Image] = []
  public var replicas: [Replica] = []
  public var sortOptions: SortOptions?
  public var configMapGenerator: [Generator] = []
  public var secretGenerator: [Generator] = []
  public var generatorOptions: GeneratorOptions?
  public var patches: [Patch] = []
  public var patchesStrategicMerge: [Located<String>] = []
  public var patchesJson6902: [Patch] = []
  public var replacements: [ReplacementEntry] = []
  public var configurations: [Located<String>] = []
  public var crds: [Located<String>] = []
  public var vars: [Var] = []
  /// `helmCharts:`, each with the folders of `helmGlobals:`; rendered by helm only with `--enable-helm`.
  public var helmCharts: [HelmChart] = []
  public var helmGlobals = HelmChart.Globals()
  /// `generators:`, `transformers:` and `validators:`: files, kustomization
  /// directories or inline YAML holding configurations of kustomize's builtin plugins.
  public var generators: [Located<String>] = []
  public var transformers: [Located<String>] = []
  public var validators: [Located<String>] = []
  /// `buildMetadata:` options; only the top kustomization's count, as in kustomize.
  public var buildMetadata: Set<String> = []
  /// `openapi:`: a schema file for strategic merges of custom resources, or a built-in version.
  public var openapi: OpenAPI?

  public enum OpenAPI: Sendable {
    case path(Located<String>)
    case version(Located<String>)
  }

  public init(file: String, directory: String) {
    self.file = file
    self.directory = directory
  }

  /// The value of a `metadata.annotations` entry, with where it was written.
  public func annotation(_ key: String) -> Located<String>? {
    annotationKeys.firstIndex(of: key).map { annotations[$0] }
  }

  /// One entry of `labels:`.
  public struct Label: Sendable {
    public var pairs: StringPairs
    public var includeSelectors: Bool
    public var includeTemplates: Bool
    public var fields: [FieldSpec]
    public var mark: Mark

    public init(pairs: StringPairs, includeSelectors: Bool, includeTemplates: Bool, fields: [FieldSpec], mark: Mark) {
      self.pairs = pairs
      self.includeSelectors = includeSelectors
      self.includeTemplates = includeTemplates
      self.fields = fields
      self.mark = mark
    }
  }

  /// One entry of `images:`.
  public struct Image: Sendable {
    public var name: String
    public var newName: String?
    public var newTag: String?
    public var digest: String?
    public var mark: Mark

    public init(name: String, newName: String? = nil, newTag: String? = nil, digest: String? = nil, mark: Mark) {
      self.name = name
      self.newName = newName
      self.newTag = newTag
      self.digest = digest
      self.mark = mark
    }
  }

  /// One entry of `replicas:`.
  public struct Replica: Sendable {
    public var name: String
    public var count: Int
    public var mark: Mark

    public init(name: String, count: Int, mark: Mark) {
      self.name = name
      self.count = count
      self.mark = mark
    }
  }

  /// One entry of `patches:` or `patchesJson6902:`: a patch from a file or
  /// inline, with an optional target selector.
  public struct Patch: Sendable {
    public var path: Located<String>?
    public var patch: Located<String>?
    public var target: Selector?
    public var allowNameChange = false
    public var allowKindChange = false
    public var mark: Mark

    public init(mark: Mark) {
      self.mark = mark
    }
  }

  /// One entry of `replacements:`: written inline or kept in a file.
  public enum ReplacementEntry: Sendable {
    case inline(Replacement)
    case path(Located<String>)
  }

  /// One entry of `configMapGenerator:` or `secretGenerator:`.
  public struct Generator: Sendable {
    public enum Behavior: String, Sendable {
      case create, merge, replace
    }
    public var name: String
    public var namespace: String
    public var behavior: Behavior
    public var literals: [Located<String>]
    public var files: [Located<String>]
    public var envs: [Located<String>]
    /// The Secret type; nil for ConfigMaps (and `Opaque` for Secrets that give none).
    public var type: String?
    public var options: GeneratorOptions?
    public var mark: Mark

    public init(name: String, mark: Mark) {
      self.name = name
      namespace = ""
      behavior = .create
      literals = []
      files = []
      envs = []
      self.mark = mark
    }
  }

  /// `generatorOptions:` and a generator's `options:`.
  public struct GeneratorOptions: Sendable {
    public var labels: StringPairs = []
    public var annotations: StringPairs = []
    public var disableNameSuffixHash = false
    public var immutable = false

    public init() {}

    /// A generator's own options over the kustomization's: its labels and
    /// annotations win, and either may disable the hash or make it immutable.
    public func overriding(_ global: GeneratorOptions?) -> GeneratorOptions {
      guard let global else { return self }
      var merged = global
      for (key, value) in labels {
        merged.labels.removeAll { $0.key == key }
        merged.labels.append((key, value))
      }
      for (key, value) in annotations {
        merged.annotations.removeAll { $0.key == key }
        merged.annotations.append((key, value))
      }
      merged.disableNameSuffixHash = global.disableNameSuffixHash || disableNameSuffixHash
      merged.immutable = global.immutable || immutable
      return merged
    }
  }

  /// `sortOptions:`, the order of the output.
  public struct SortOptions: Sendable {
    public enum Order: String, Sendable {
      case legacy, fifo
    }
    public var order: Order
    public var orderFirst: [String]?
    public var orderLast: [String]?
    public var mark: Mark
    /// `order` as written; nil when not given.
    var orderText: Located<String>?

    /// The options, checked: kustomize checks them in the top kustomization only,
    /// where they order the output, and ignores them in included ones.
    public func checked() throws(Diagnostic) -> SortOptions {
      guard let orderText else {
        throw Diagnostic(mark, "sortOptions needs an 'order' (legacy or fifo)")
      }
      guard Order(rawValue: orderText.value) != nil else {
        throw Diagnostic(orderText.mark, "the sort order must be 'legacy' or 'fifo', not '\(orderText.value)'")
      }
      if order == .fifo, orderFirst != nil || orderLast != nil {
        throw Diagnostic(mark, "legacySortOptions may only be given with order 'legacy'")
      }
      return self
    }

    public init(order: Order, orderFirst: [String]? = nil, orderLast: [String]? = nil, mark: Mark) {
      self.order = order
      self.orderFirst = orderFirst
      self.orderLast = orderLast
      self.mark = mark
    }
  }
}
