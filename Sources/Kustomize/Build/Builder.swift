import YAML

/// The build: one front door that reads a kustomization tree and returns its
/// resources, transformed and ordered exactly as `kustomize build` would.
///
///     resources ─► transformers (per kustomization, innermost first)
///               ─► name references ─► order
public struct Builder {
  public let loader: Loader
  /// Deprecation notices and other hints, for stderr; they never change the output.
  public private(set) var warnings: [String] = []
  /// Whether transformer runs are being recorded for `buildMetadata: [transformerAnnotations]`.
  var recordsTransformations = false
  /// The schema strategic merges use; like kustomize's, the last `openapi:` loaded sets it for the rest of the build.
  var openAPI: OpenAPIDocument?

  public init(fileSystem: any FileSystem = DiskFileSystem(), limits: Limits = Limits()) {
    loader = Loader(fileSystem: fileSystem, limits: limits)
  }

  /// Builds the kustomization in `directory`.
  public mutating func build(_ directory: String) throws(SourceError) -> ResourceMap {
    let root = Path.normalize(directory)
    guard loader.fileSystem.kind(of: root) == .directory else {
      throw SourceError(Mark(file: root, line: 0, column: 0), "'\(directory)' is not a directory")
    }
    let (kustomization, notes) = try loader.loadKustomization(in: root, requestedAt: nil)
    warnings += notes
    return try build(kustomization)
  }

  /// Builds a kustomization that exists only in memory (a composition), as if
  /// it were a file in `kustomization.directory`.
  public mutating func build(_ kustomization: Kustomization) throws(SourceError) -> ResourceMap {
    let root = kustomization.directory
    recordsTransformations = kustomization.buildMetadata.contains("transformerAnnotations")
    var visiting: [String] = []
    var accumulation = Accumulation()
    try accumulate(kustomization, into: &accumulation, visiting: &visiting)
    var resources = accumulation.resources
    try HashSuffixTransformer().apply(to: &resources)
    try NameReferenceTransformer(table: accumulation.config.nameReference).apply(to: &resources)
    try VarTransformer(vars: accumulation.vars, fieldSpecs: accumulation.config.varReference).apply(to: &resources)
    BuildMetadata(options: kustomization.buildMetadata, root: root).apply(to: resources)
    Builder.dropEmptyAnnotations(resources)
    try OrderTransformer(options: kustomization.sortOptions).apply(to: &resources)
    return resources
  }

  /// kustomize keeps its build state in annotations and removes it at the
  /// end, taking an annotations map that is then empty (or was null) with it.
  static func dropEmptyAnnotations(_ resources: ResourceMap) {
    for resource in resources.resources {
      guard let metadata = resource.metadata, let annotations = metadata["annotations"] else { continue }
      switch annotations {
      case .mapping(let map) where map.entries.isEmpty: metadata["annotations"] = nil
      case .scalar(let scalar) where scalar.kind == .null: metadata["annotations"] = nil
      default: break
      }
    }
  }

  /// Renders built resources as kustomize prints them.
  public static func render(_ resources: ResourceMap) throws(SourceError) -> [UInt8] {
    try Emitter().emit(resources.resources.map { .mapping($0.object) })
  }

  /// What a kustomization and those it includes have built so far.
  struct Accumulation {
    var resources = ResourceMap()
    var config = TransformerConfig()
    var vars: [Var] = []

    /// Takes in what an included kustomization built.
    mutating func absorb(_ other: Accumulation) throws(SourceError) {
      try resources.append(contentsOf: other.resources)
      config.merge(other.config)
      try addVars(other.vars)
    }

    mutating func addVars(_ added: [Var]) throws(SourceError) {
      for variable in added {
        if let existing = vars.first(where: { $0.name == variable.name }) {
          throw SourceError(variable.mark, "var '\(variable.name)' already encountered", notes: ["\(existing.mark): note: first defined here"])
        }
        vars.append(variable)
      }
    }
  }

  /// Adds a kustomization's resources, then its configurations, generators,
  /// components (which see and change everything so far), transformers and
  /// vars, in kustomize's order.
  mutating func accumulate(
    _ kustomization: Kustomization, into accumulation: inout Accumulation, visiting: inout [String]
  ) throws(SourceError) {
    let realDirectory = try loader.realDirectory(kustomization.directory, at: Mark(file: kustomization.file, line: 0, column: 0))
    guard visiting.count < loader.limits.kustomizationDepth else {
      throw SourceError(
        Mark(file: kustomization.file, line: 1, column: 1),
        "kustomizations include one another more than \(loader.limits.kustomizationDepth) levels deep (raise it with --limit kustomization-depth=N)")
    }
    visiting.append(realDirectory)
    defer { visiting.removeLast() }

    try useOpenAPI(of: kustomization)
    for entry in kustomization.resources {
      try load(entry, from: kustomization, into: &accumulation, visiting: &visiting)
    }
    for entry in kustomization.configurations {
      accumulation.config.merge(try loadConfiguration(entry, in: kustomization))
    }
    for entry in kustomization.crds {
      accumulation.config.merge(try loadConfiguration(entry, in: kustomization, fromCRDs: true))
    }
    try runGenerators(of: kustomization, into: &accumulation.resources)
    for entry in kustomization.components {
      try applyComponent(entry, from: kustomization, to: &accumulation, visiting: &visiting)
    }
    for step in try transformers(of: kustomization, config: accumulation.config) {
      try step.transformer?.apply(to: &accumulation.resources)
      if recordsTransformations {
        for kind in step.records {
          let origin = Resource.Origin.builtin(configuredIn: kustomization.file, kind: kind)
          for resource in accumulation.resources.resources { resource.transformations.append(origin) }
        }
      }
    }
    try accumulation.addVars(kustomization.vars)
    guard accumulation.resources.resources.count <= loader.limits.resources else {
      throw SourceError(
        Mark(file: kustomization.file, line: 1, column: 1),
        "the build holds more than \(loader.limits.resources) resources (raise it with --limit resources=N)")
    }
  }

  /// Built-in schema versions that `openapi: version:` may name.
  static let builtInOpenAPIVersions: Set<String> = ["v1.21.2"]

  mutating func useOpenAPI(of kustomization: Kustomization) throws(SourceError) {
    switch kustomization.openapi {
    case nil:
      return
    case .version(let version):
      guard Builder.builtInOpenAPIVersions.contains(version.value) else {
        throw SourceError(version.mark, "the OpenAPI version '\(version.value)' is not built in (built in: v1.21.2)")
      }
      openAPI = nil
    case .path(let path):
      guard let document = try loader.parseEntry(path, in: kustomization.directory, what: "OpenAPI file").documents.first else {
        throw SourceError(path.mark, "the OpenAPI file '\(path.value)' is empty")
      }
      openAPI = try OpenAPIDocument(document, at: path.mark)
    }
  }

  /// A `configurations:` file of extra field specs, or a `crds:` file they are derived from.
  func loadConfiguration(_ entry: Located<String>, in kustomization: Kustomization, fromCRDs: Bool = false)
    throws(SourceError) -> TransformerConfig
  {
    let documents = try loader.parseEntry(
      entry, in: kustomization.directory, what: fromCRDs ? "CRD file" : "configuration file"
    ).documents
    if fromCRDs {
      var config = TransformerConfig()
      for document in documents where !document.isNull {
        config.merge(try CRDConfig.config(from: document, at: entry.mark))
      }
      return config
    }
    return try TransformerConfig.decode(documents)
  }

  /// One `components:` entry: a directory whose kustomization is a Component.
  mutating func applyComponent(
    _ entry: Located<String>, from kustomization: Kustomization, to accumulation: inout Accumulation,
    visiting: inout [String]
  ) throws(SourceError) {
    if Loader.isRemote(entry.value) {
      throw SourceError(entry.mark, "remote component '\(entry.value)' is not supported: mrgen reads only local files")
    }
    let path = Path.join(kustomization.directory, entry.value)
    guard loader.fileSystem.kind(of: path) == .directory else {
      throw SourceError(entry.mark, "component '\(entry.value)' must be a directory holding a kustomization of kind Component")
    }
    do throws(SourceError) {
      try loader.checkIncludedDirectory(entry, path: path, visiting: visiting, what: "component")
      let (component, notes) = try loader.loadKustomization(in: path, requestedAt: entry.mark)
      warnings += notes
      guard component.kind == .component else {
        throw SourceError(entry.mark, "'\(entry.value)' is a Kustomization; list it under 'resources', or make it 'kind: Component'")
      }
      try accumulate(component, into: &accumulation, visiting: &visiting)
    } catch {
      var error = error
      if error.mark.file != entry.mark.file { error.notes.append("\(entry.mark): note: included from here") }
      throw error
    }
  }

  /// ConfigMap then Secret generators, each creating a resource or merging
  /// into (or replacing) one that came from the resources.
  func runGenerators(of kustomization: Kustomization, into resources: inout ResourceMap) throws(SourceError) {
    let keyValues = KeyValueLoader(loader: loader, directory: kustomization.directory)
    let entries =
      kustomization.configMapGenerator.map { (ResourceGenerator.Kind.configMap, $0) }
      + kustomization.secretGenerator.map { (ResourceGenerator.Kind.secret, $0) }
    for (kind, entry) in entries {
      let options = (entry.options ?? Kustomization.GeneratorOptions()).overriding(kustomization.generatorOptions)
      let generated = try ResourceGenerator(kind: kind, generator: entry, options: options).generate(using: keyValues)
      generated.origin = .builtin(
        configuredIn: kustomization.file, kind: kind == .configMap ? "ConfigMapGenerator" : "SecretGenerator")
      try resources.absorb(generated, behavior: entry.behavior, at: entry.mark)
    }
  }

  /// One transformer of a kustomization, and the names kustomize records for it in
  /// `alpha.config.kubernetes.io/transformations` (none for some, two for prefix and suffix).
  struct Step {
    var transformer: (any Transformer)?
    var records: [String]
  }

  /// The kustomization's transformers in kustomize's order.
  func transformers(of kustomization: Kustomization, config: TransformerConfig) throws(SourceError) -> [Step] {
    var result: [Step] = []
    if !kustomization.patchesStrategicMerge.isEmpty {
      result.append(
        Step(
          transformer: try StrategicMergeFilesTransformer(kustomization.patchesStrategicMerge, in: kustomization, loader: loader, openAPI: openAPI),
          records: ["PatchStrategicMergeTransformer"]))
    }
    for patch in kustomization.patches {
      result.append(Step(transformer: try PatchTransformer(patch, in: kustomization, loader: loader, jsonOnly: false, openAPI: openAPI), records: ["PatchTransformer"]))
    }
    if let namespace = kustomization.namespace, !namespace.value.isEmpty {
      result.append(Step(transformer: NamespaceTransformer(namespace: namespace.value, fieldSpecs: config.namespace), records: ["NamespaceTransformer"]))
    }
    let prefix = kustomization.namePrefix?.value ?? ""
    let suffix = kustomization.nameSuffix?.value ?? ""
    if !prefix.isEmpty || !suffix.isEmpty {
      result.append(
        Step(
          transformer: PrefixSuffixTransformer(
            prefix: prefix, suffix: suffix, prefixFields: config.namePrefix, suffixFields: config.nameSuffix),
          records: (prefix.isEmpty ? [] : ["PrefixTransformer"]) + (suffix.isEmpty ? [] : ["SuffixTransformer"])))
    }
    for label in kustomization.labels {
      result.append(Step(transformer: LabelTransformer(label: label, config: config), records: ["LabelTransformer"]))
    }
    let commonLabels = kustomization.commonLabels?.value ?? []
    if !commonLabels.isEmpty || !kustomization.labels.isEmpty {
      result.append(Step(transformer: LabelTransformer(pairs: commonLabels, fieldSpecs: config.commonLabels), records: ["LabelTransformer"]))
    }
    if let commonAnnotations = kustomization.commonAnnotations, !commonAnnotations.value.isEmpty {
      result.append(
        Step(transformer: AnnotationTransformer(pairs: commonAnnotations.value, fieldSpecs: config.commonAnnotations), records: ["AnnotationsTransformer"]))
    }
    for patch in kustomization.patchesJson6902 {
      guard let target = patch.target else { throw SourceError(patch.mark, "a patchesJson6902 entry needs a 'target'") }
      guard !target.name.isEmpty else { throw SourceError(target.mark, "a patchesJson6902 target must give a 'name'") }
      result.append(Step(transformer: try PatchTransformer(patch, in: kustomization, loader: loader, jsonOnly: true, openAPI: openAPI), records: []))
    }
    for replica in kustomization.replicas {
      result.append(Step(transformer: ReplicaTransformer(replica: replica, fieldSpecs: config.replicas), records: ["ReplicaCountTransformer"]))
    }
    if !kustomization.images.isEmpty {
      // One transformer for every entry; kustomize runs (and records) one per entry.
      result.append(
        Step(
          transformer: try ImageTransformer(images: kustomization.images, fieldSpecs: config.images),
          records: Array(repeating: "ImageTagTransformer", count: kustomization.images.count)))
    }
    if !kustomization.replacements.isEmpty {
      result.append(Step(transformer: ReplacementTransformer(try replacements(of: kustomization)), records: ["ReplacementTransformer"]))
    }
    return result
  }

  /// The kustomization's replacements, those in files read now.
  func replacements(of kustomization: Kustomization) throws(SourceError) -> [Replacement] {
    var result: [Replacement] = []
    for entry in kustomization.replacements {
      switch entry {
      case .inline(let replacement):
        result.append(replacement)
      case .path(let path):
        for document in try loader.parseEntry(path, in: kustomization.directory, what: "replacement file").documents
        where !document.isNull {
          if case .sequence(let list) = document {
            for item in list.items { result.append(try Replacement.decode(item, field: "replacements")) }
          } else {
            result.append(try Replacement.decode(document, field: "replacements"))
          }
        }
      }
    }
    return result
  }

  /// One `resources:` entry: a file of resources or a directory holding a kustomization.
  mutating func load(
    _ entry: Located<String>, from kustomization: Kustomization, into accumulation: inout Accumulation,
    visiting: inout [String]
  ) throws(SourceError) {
    if Loader.isRemote(entry.value) {
      throw SourceError(
        entry.mark, "remote resource '\(entry.value)' is not supported: mrgen reads only local files; vendor the files and list their path")
    }
    let path = Path.join(kustomization.directory, entry.value)
    let kind = loader.fileSystem.kind(of: path)
    if kind == .missing {
      throw SourceError(entry.mark, "resource '\(entry.value)' not found: no file or directory at '\(path)'")
    }
    guard kind == .directory else {
      // A file, or anything else: the loader confines it to the root and refuses all but regular files.
      for resource in try loader.loadResources(entry, in: kustomization.directory) {
        try accumulation.resources.append(resource)
      }
      return
    }
    do throws(SourceError) {
      try loader.checkIncludedDirectory(entry, path: path, visiting: visiting, what: "resource")
      let (nested, notes) = try loader.loadKustomization(in: path, requestedAt: entry.mark)
      warnings += notes
      if nested.kind == .component {
        throw SourceError(entry.mark, "'\(entry.value)' is a Component; list it under 'components', not 'resources'")
      }
      var included = Accumulation()
      try accumulate(nested, into: &included, visiting: &visiting)
      try accumulation.absorb(included)
    } catch {
      var error = error
      if error.mark.file != entry.mark.file {
        error.notes.append("\(entry.mark): note: included from here")
      }
      throw error
    }
  }
}
