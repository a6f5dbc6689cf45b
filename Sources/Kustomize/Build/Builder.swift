import YAML

/// The build: one front door that loads a kustomization tree, then runs
/// kustomize's pipeline over it and returns the resources, transformed and
/// ordered exactly as `kustomize build` would.
///
///     load (every file, up front) ─► per kustomization, innermost first:
///       resources ─► configurations ─► generators (fields, then plugins) ─► components
///       ─► transformers (fields, then plugins) ─► validators ─► vars
///     ─► hash suffixes ─► name references ─► vars ─► local configs dropped ─► build metadata
///     ─► annotations as strings ─► key lengths ─► order
public struct Builder {
  public let loader: Loader
  /// Warnings for stderr, in the order found; they never change the output.
  public private(set) var warnings: [Diagnostic] = []
  /// `--enable-managedby-label`: as `buildMetadata: [managedByLabel]`.
  public var managedByLabel = false

  public init(
    fileSystem: any FileSystem = DiskFileSystem(), limits: Limits = Limits(), restriction: LoadRestriction = .rootOnly,
    helm: HelmSettings = HelmSettings(), managedByLabel: Bool = false
  ) {
    loader = Loader(fileSystem: fileSystem, limits: limits, restriction: restriction, helm: helm)
    self.managedByLabel = managedByLabel
  }

  /// Builds the kustomization in `directory`.
  public mutating func build(_ directory: String) throws(Diagnostic) -> ResourceMap {
    try build(LoadedKustomization.load(directory: directory, loader: loader))
  }

  /// Builds a kustomization that exists only in memory (a composition), as if
  /// it were a file in `kustomization.directory`.
  public mutating func build(_ kustomization: Kustomization) throws(Diagnostic) -> ResourceMap {
    try build(LoadedKustomization.load(kustomization, loader: loader))
  }

  mutating func build(_ top: LoadedKustomization) throws(Diagnostic) -> ResourceMap {
    warnings += top.allWarnings
    let kustomization = top.kustomization
    var pipeline = Pipeline(
      recordsTransformations: kustomization.buildMetadata.contains("transformerAnnotations"), limits: loader.limits)
    var accumulation = Accumulation()
    try pipeline.accumulate(top, into: &accumulation)
    warnings += pipeline.warnings
    var resources = accumulation.resources
    try HashSuffixTransformer().run(on: &resources)
    try NameReferenceTransformer(table: accumulation.config.nameReference).run(on: &resources)
    try VarTransformer(vars: accumulation.vars, fieldSpecs: accumulation.config.varReference).run(on: &resources)
    LocalConfig.drop(from: &resources)
    BuildMetadata(
      options: kustomization.buildMetadata.union(managedByLabel ? ["managedByLabel"] : []),
      root: kustomization.directory
    ).apply(to: resources)
    try BuildMetadata.finishAnnotations(resources)
    try KeyLengthCheck.check(resources)
    try OrderTransformer(options: kustomization.sortOptions?.checked()).run(on: &resources)
    return resources
  }

  /// Renders built resources as kustomize prints them.
  public static func render(_ resources: ResourceMap) throws(Diagnostic) -> [UInt8] {
    try Emitter().emit(resources.resources.map { .mapping($0.object) })
  }
}

/// kustomize's per-kustomization order, over kustomizations already loaded.
struct Pipeline {
  /// Whether transformer runs are recorded for `buildMetadata: [transformerAnnotations]`.
  let recordsTransformations: Bool
  let limits: Limits
  /// The schema strategic merges use (nil: the built-in one). As in kustomize,
  /// the first `openapi:` met (the top kustomization's, else the first in the
  /// order kustomizations are built) sets it for the whole build; later ones are ignored.
  private(set) var openAPI: OpenAPIDocument?
  private var openAPIChosen = false
  /// Whether kustomize would have loaded its built-in schema by now: it does
  /// when it first meets a resource of a type its table of built-in types
  /// lacks (a custom resource), and a custom schema chosen later adds to it.
  private var builtinSchemaLoaded = false
  private(set) var warnings: [Diagnostic] = []

  init(recordsTransformations: Bool, limits: Limits) {
    self.recordsTransformations = recordsTransformations
    self.limits = limits
  }

  /// Adds a kustomization's resources, then its configurations, generators,
  /// components (which see and change everything so far), transformers and
  /// vars, in kustomize's order.
  mutating func accumulate(_ loaded: LoadedKustomization, into accumulation: inout Accumulation) throws(Diagnostic) {
    let kustomization = loaded.kustomization
    if let schema = loaded.openAPI, !openAPIChosen {
      openAPIChosen = true
      if case .document(let document) = schema { openAPI = builtinSchemaLoaded ? document.overBuiltin() : document }
    }
    for part in loaded.resources {
      switch part {
      case .file(let resources):
        for resource in resources { try accumulation.resources.append(resource) }
        builtinSchemaLoaded = builtinSchemaLoaded || resources.contains { !MergeSchema.isBuiltin($0.gvk) }
      case .kustomization(let nested):
        var included = Accumulation()
        try accumulate(nested, into: &included, includedAt: nested.includedAt)
        do throws(Diagnostic) {
          try accumulation.absorb(included, at: nested.includedAt?.mark ?? Mark(file: kustomization.file))
        } catch {
          throw nested.includedAt.map { error.included(from: $0.mark) } ?? error
        }
      }
    }
    try accumulation.config.merge(loaded.configuration, at: Mark(file: kustomization.file))
    for generated in loaded.generated {
      try accumulation.resources.absorb(
        generated.resource, behavior: generated.entry.behavior, at: generated.entry.mark)
      builtinSchemaLoaded = builtinSchemaLoaded || !MergeSchema.isBuiltin(generated.resource.gvk)
    }
    for component in loaded.components {
      try accumulate(component, into: &accumulation, includedAt: component.includedAt)
    }
    for transformer in try transformers(of: loaded, config: accumulation.config) {
      try run(
        transformer, on: &accumulation.resources,
        recording: transformer.recordedKinds.map { .builtin(configuredIn: kustomization.file, kind: $0) })
    }
    for plugin in loaded.pluginTransformers {
      try run(plugin.make(openAPI), on: &accumulation.resources, recording: [plugin.origin])
    }
    for validator in loaded.validators { try validate(validator, accumulation.resources) }
    try accumulation.addVars(kustomization.vars)
    guard accumulation.resources.count <= limits.resources else {
      throw Diagnostic(
        Mark(file: kustomization.file, line: 1, column: 1),
        "the build holds more than \(limits.resources) resources (raise it with --limit resources=N)")
    }
  }

  private mutating func accumulate(
    _ loaded: LoadedKustomization, into accumulation: inout Accumulation, includedAt entry: Located<String>?
  ) throws(Diagnostic) {
    do throws(Diagnostic) {
      try accumulate(loaded, into: &accumulation)
    } catch {
      throw entry.map { error.included(from: $0.mark) } ?? error
    }
  }

  /// Runs one transformer, recording its run for `buildMetadata: [transformerAnnotations]`.
  mutating func run(
    _ transformer: any BuiltinTransformer, on resources: inout ResourceMap, recording: [Resource.Origin]
  )
    throws(Diagnostic)
  {
    warnUnmatched(transformer, in: resources)
    try transformer.run(on: &resources)
    guard recordsTransformations else { return }
    for origin in recording {
      for resource in resources.resources { resource.transformations.append(origin) }
    }
  }

  /// A kustomization's transformers from its fields, in kustomize's order.
  func transformers(of loaded: LoadedKustomization, config: TransformerConfig) throws(Diagnostic)
    -> [any BuiltinTransformer]
  {
    let kustomization = loaded.kustomization
    var result: [any BuiltinTransformer] = []
    if !loaded.patchesStrategicMerge.isEmpty {
      result.append(StrategicMergeFilesTransformer(loaded.patchesStrategicMerge, openAPI: openAPI))
    }
    for (entry, content) in loaded.patches {
      result.append(PatchTransformer(entry, content: content, fromPatchesJson6902: false, openAPI: openAPI))
    }
    if let namespace = kustomization.namespace, !namespace.value.isEmpty {
      result.append(
        NamespaceTransformer(namespace: namespace.value, fieldSpecs: config.namespace, mark: namespace.mark))
    }
    let prefix = kustomization.namePrefix
    let suffix = kustomization.nameSuffix
    if !(prefix?.value ?? "").isEmpty || !(suffix?.value ?? "").isEmpty {
      result.append(
        PrefixSuffixTransformer(
          prefix: prefix?.value ?? "", suffix: suffix?.value ?? "", prefixFields: config.namePrefix,
          suffixFields: config.nameSuffix, mark: prefix?.mark ?? suffix?.mark))
    }
    for label in kustomization.labels {
      result.append(LabelTransformer(label: label, config: config))
    }
    let commonLabels = kustomization.commonLabels?.value ?? []
    if !commonLabels.isEmpty || !kustomization.labels.isEmpty {
      result.append(LabelTransformer(pairs: commonLabels, fieldSpecs: config.commonLabels))
    }
    if let commonAnnotations = kustomization.commonAnnotations, !commonAnnotations.value.isEmpty {
      result.append(AnnotationTransformer(pairs: commonAnnotations.value, fieldSpecs: config.commonAnnotations))
    }
    for (entry, content) in loaded.patchesJson6902 {
      result.append(PatchTransformer(entry, content: content, fromPatchesJson6902: true, openAPI: openAPI))
    }
    for replica in kustomization.replicas {
      result.append(ReplicaTransformer(replica: replica, fieldSpecs: config.replicas))
    }
    if !kustomization.images.isEmpty {
      result.append(ImageTransformer(images: kustomization.images, fieldSpecs: config.images))
    }
    if !loaded.replacements.isEmpty {
      result.append(ReplacementTransformer(loaded.replacements))
    }
    return result
  }

  /// Runs a validator over a copy of the resources: like kustomize, it fails
  /// if the validator wrote anything, even a value equal to the old one.
  func validate(_ validator: PluginTransformer, _ resources: ResourceMap) throws(Diagnostic) {
    var copy = ResourceMap()
    for resource in resources.resources {
      try copy.append(Resource(object: resource.object.deepCopy(), source: resource.source))
    }
    try validator.make(openAPI).run(on: &copy)
    let unchanged =
      copy.count == resources.count
      && zip(copy.resources, resources.resources).allSatisfy {
        Node.mapping($0.object).isIdentical(to: .mapping($1.object))
      }
    guard unchanged else {
      throw Diagnostic(validator.mark, "a validator must not change the resources, and this one did")
    }
  }

  /// The reference accepts a targeted patch that matches nothing; mrgen says so on stderr.
  mutating func warnUnmatched(_ transformer: any BuiltinTransformer, in resources: ResourceMap) {
    guard let patch = transformer as? PatchTransformer, patch.selectsNothing(in: resources) else { return }
    warnings.append(.warning(patch.entryMark, "the patch's target selects no resource; the patch changes nothing"))
  }
}
