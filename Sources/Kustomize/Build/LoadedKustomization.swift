import Foundation
import YAML

/// A kustomization with everything it names read, parsed and checked: its
/// resource files, the kustomizations and components it includes (loaded the
/// same way), configurations, CRDs, its OpenAPI schema, generator sources,
/// patches and replacement files.
///
/// All reading happens here, through the loader's one confined read, before
/// any transformer runs; the pipeline that follows does no I/O. A loaded tree
/// is built once: the build changes its resources in place.
public struct LoadedKustomization {
  public var kustomization: Kustomization
  /// The `resources:` or `components:` entry that included it; nil at the top.
  var includedAt: Located<String>?
  var resources: [Part] = []
  var components: [LoadedKustomization] = []
  /// `openapi:`: a schema file, or `.builtin` for a built-in version; nil when not given.
  var openAPI: OpenAPISchema?
  /// What its `configurations:` and `crds:` files add to the field specs.
  var configuration = TransformerConfig()
  /// Its ConfigMaps and Secrets, generated from their sources.
  var generated: [Generated] = []
  var patchesStrategicMerge: [(entry: Located<String>, patches: [Mapping])] = []
  var patches: [(entry: Kustomization.Patch, content: PatchTransformer.Content)] = []
  var patchesJson6902: [(entry: Kustomization.Patch, content: PatchTransformer.Content)] = []
  var replacements: [Replacement] = []
  /// The transformers its `transformers:` configure, run after those of its fields.
  var pluginTransformers: [PluginTransformer] = []
  /// The transformers its `validators:` configure: each must leave the resources as they are.
  var validators: [PluginTransformer] = []
  /// Warnings about this kustomization and the files it names.
  var warnings: [Diagnostic] = []

  /// One `resources:` entry: the resources of a file, or an included kustomization.
  enum Part {
    case file([Resource])
    case kustomization(LoadedKustomization)
  }

  enum OpenAPISchema {
    case builtin
    case document(OpenAPIDocument)
  }

  /// A generated ConfigMap or Secret, and how it joins the resources.
  struct Generated {
    var resource: Resource
    var entry: Kustomization.Generator
  }

  /// Built-in schema versions that `openapi: version:` may name.
  static let builtInOpenAPIVersions: Set<String> = ["v1.21.2"]

  /// A DIR given as a URL is refused with what to do instead, before any part of it is read as a path.
  public static func refuseRemote(_ directory: String) throws(Diagnostic) {
    if Loader.isRemote(directory) {
      throw Diagnostic(
        Mark(file: directory),
        "remote kustomizations are not supported: mrgen reads only local files; vendor the files and build their folder"
      )
    }
  }

  /// Loads the kustomization in `directory` and everything it names.
  public static func load(directory: String, loader: Loader) throws(Diagnostic) -> LoadedKustomization {
    try refuseRemote(directory)
    let root = Path.normalize(directory)
    guard loader.fileSystem.kind(of: root) == .directory else {
      throw Diagnostic(Mark(file: root), "'\(directory)' is not a directory")
    }
    let (kustomization, warnings) = try loader.loadKustomization(in: root, requestedAt: nil)
    var visiting: [String] = []
    var loaded = try load(kustomization, loader: loader, visiting: &visiting)
    loaded.warnings = warnings + loaded.warnings
    return loaded
  }

  /// Loads what a kustomization value names (one read from a file, or composed in memory).
  public static func load(_ kustomization: Kustomization, loader: Loader) throws(Diagnostic) -> LoadedKustomization {
    var visiting: [String] = []
    return try load(kustomization, loader: loader, visiting: &visiting)
  }

  /// `visiting` holds the real directories of the kustomizations being loaded, outermost first.
  static func load(_ kustomization: Kustomization, loader: Loader, visiting: inout [String])
    throws(Diagnostic) -> LoadedKustomization
  {
    let realDirectory = try loader.realDirectory(kustomization.directory, at: Mark(file: kustomization.file))
    guard visiting.count < loader.limits.kustomizationDepth else {
      throw Diagnostic(
        Mark(file: kustomization.file, line: 1, column: 1),
        "kustomizations include one another more than \(loader.limits.kustomizationDepth) levels deep (raise it with --limit kustomization-depth=N)"
      )
    }
    visiting.append(realDirectory)
    defer { visiting.removeLast() }

    var loaded = LoadedKustomization(kustomization: kustomization)
    let directory = kustomization.directory
    loaded.openAPI = try openAPI(of: kustomization, loader: loader)
    for entry in kustomization.resources {
      loaded.resources.append(try resources(entry, from: kustomization, loader: loader, visiting: &visiting))
    }
    for entry in kustomization.configurations {
      let documents = try loader.parseEntry(entry, in: directory, what: "configuration file").documents
      try loaded.configuration.merge(try TransformerConfig.decode(documents), at: entry.mark)
    }
    for entry in kustomization.crds {
      for document in try loader.parseEntry(entry, in: directory, what: "CRD file").documents where !document.isNull {
        try loaded.configuration.merge(try CRDConfig.config(from: document, at: entry.mark), at: entry.mark)
      }
    }
    try loaded.generate(loader: loader)
    let context = BuiltinPlugins.Context(
      kustomization: kustomization, loader: loader, root: realDirectory)
    for role in [BuiltinPlugins.Role.generators, .transformers, .validators] {
      let configs = try pluginConfigs(role, of: kustomization, loader: loader, visiting: &visiting)
      for configured in try BuiltinPlugins.configure(configs, role: role, context: context) {
        switch (configured, role) {
        case (.generated(let generated), _): loaded.generated += generated
        case (.transformer(let transformer), .validators): loaded.validators.append(transformer)
        case (.transformer(let transformer), _): loaded.pluginTransformers.append(transformer)
        }
      }
    }
    for entry in kustomization.components {
      loaded.components.append(try component(entry, from: kustomization, loader: loader, visiting: &visiting))
    }
    for entry in kustomization.patchesStrategicMerge {
      loaded.patchesStrategicMerge.append((entry, try strategicMergePatches(entry, in: kustomization, loader: loader)))
    }
    for entry in kustomization.patches {
      loaded.patches.append((entry, try patch(entry, in: kustomization, loader: loader, json6902: false)))
    }
    for entry in kustomization.patchesJson6902 {
      guard let target = entry.target else { throw Diagnostic(entry.mark, "a patchesJson6902 entry needs a 'target'") }
      guard !target.name.isEmpty else { throw Diagnostic(target.mark, "a patchesJson6902 target must give a 'name'") }
      loaded.patchesJson6902.append((entry, try patch(entry, in: kustomization, loader: loader, json6902: true)))
    }
    loaded.replacements = try replacements(of: kustomization, loader: loader)
    return loaded
  }

  /// Every warning of this kustomization and those it includes: its own
  /// (the file's, then its generators'), then those of each kustomization it
  /// includes as a resource, then of each component.
  var allWarnings: [Diagnostic] {
    var result = warnings
    for part in resources { if case .kustomization(let nested) = part { result += nested.allWarnings } }
    for component in components { result += component.allWarnings }
    return result
  }

  static func openAPI(of kustomization: Kustomization, loader: Loader) throws(Diagnostic) -> OpenAPISchema? {
    switch kustomization.openapi {
    case nil:
      return nil
    case .version(let version):
      guard builtInOpenAPIVersions.contains(version.value) else {
        throw Diagnostic(version.mark, "the OpenAPI version '\(version.value)' is not built in (built in: v1.21.2)")
      }
      return .builtin
    case .path(let path):
      guard
        let document = try loader.parseEntry(path, in: kustomization.directory, what: "OpenAPI file").documents.first
      else {
        throw Diagnostic(path.mark, "the OpenAPI file '\(path.value)' is empty")
      }
      return .document(try OpenAPIDocument(document, at: path.mark))
    }
  }

  /// One `resources:` entry: a file of resources or a directory holding a kustomization.
  static func resources(
    _ entry: Located<String>, from kustomization: Kustomization, loader: Loader, visiting: inout [String]
  ) throws(Diagnostic) -> Part {
    if Loader.isRemote(entry.value) {
      throw Diagnostic(
        entry.mark,
        "remote resource '\(entry.value)' is not supported: mrgen reads only local files; vendor the files and list their path"
      )
    }
    let path = Path.join(kustomization.directory, entry.value)
    let kind = loader.fileSystem.kind(of: path)
    if kind == .missing {
      throw Diagnostic(entry.mark, "resource '\(entry.value)' not found: no file or directory at '\(path)'")
    }
    guard kind == .directory else {
      // A file, or anything else: the loader confines it to the root and refuses all but regular files.
      return .file(try loader.loadResources(entry, in: kustomization.directory))
    }
    let nested = try included(entry, path: path, what: "resource", loader: loader, visiting: &visiting) {
      (nested) throws(Diagnostic) in
      if nested.kind == .component {
        throw Diagnostic(entry.mark, "'\(entry.value)' is a Component; list it under 'components', not 'resources'")
      }
    }
    return .kustomization(nested)
  }

  /// One `components:` entry: a directory whose kustomization is a Component.
  static func component(
    _ entry: Located<String>, from kustomization: Kustomization, loader: Loader, visiting: inout [String]
  ) throws(Diagnostic) -> LoadedKustomization {
    if Loader.isRemote(entry.value) {
      throw Diagnostic(entry.mark, "remote component '\(entry.value)' is not supported: mrgen reads only local files")
    }
    let path = Path.join(kustomization.directory, entry.value)
    guard loader.fileSystem.kind(of: path) == .directory else {
      throw Diagnostic(
        entry.mark, "component '\(entry.value)' must be a directory holding a kustomization of kind Component")
    }
    return try included(entry, path: path, what: "component", loader: loader, visiting: &visiting) {
      (component) throws(Diagnostic) in
      guard component.kind == .component else {
        throw Diagnostic(
          entry.mark, "'\(entry.value)' is a Kustomization; list it under 'resources', or make it 'kind: Component'")
      }
    }
  }

  /// Loads an included kustomization directory; an error in it notes where it was included.
  static func included(
    _ entry: Located<String>, path: String, what: String, loader: Loader, visiting: inout [String],
    check: (Kustomization) throws(Diagnostic) -> Void
  ) throws(Diagnostic) -> LoadedKustomization {
    do throws(Diagnostic) {
      try loader.checkIncludedDirectory(entry, path: path, visiting: visiting, what: what)
      let (nested, warnings) = try loader.loadKustomization(in: path, requestedAt: entry.mark)
      try check(nested)
      var loaded = try load(nested, loader: loader, visiting: &visiting)
      loaded.includedAt = entry
      loaded.warnings = warnings + loaded.warnings
      return loaded
    } catch {
      throw error.included(from: entry.mark)
    }
  }

  /// The plugin configurations a `generators:`, `transformers:` or `validators:`
  /// list names: first those written inline, then, in order, the resources of a file or
  /// the output of a kustomization directory (built now, with its own
  /// transformers, as kustomize builds it).
  static func pluginConfigs(
    _ role: BuiltinPlugins.Role, of kustomization: Kustomization, loader: Loader, visiting: inout [String]
  ) throws(Diagnostic) -> [Resource] {
    let entries: [Located<String>]
    switch role {
    case .generators: entries = kustomization.generators
    case .transformers: entries = kustomization.transformers
    case .validators: entries = kustomization.validators
    }
    // As in kustomize, the configurations written inline come first, then those the paths lead to.
    var configs: [Resource] = []
    var paths: [Located<String>] = []
    for entry in entries {
      if let inline = try inlineConfigs(entry, in: kustomization, loader: loader) {
        configs += inline
      } else {
        paths.append(entry)
      }
    }
    for entry in paths {
      switch try resources(entry, from: kustomization, loader: loader, visiting: &visiting) {
      case .file(let resources):
        configs += resources
      case .kustomization(let nested):
        var pipeline = Pipeline(recordsTransformations: false, limits: loader.limits)
        var accumulation = Accumulation()
        do throws(Diagnostic) {
          try pipeline.accumulate(nested, into: &accumulation)
        } catch {
          throw error.included(from: entry.mark)
        }
        configs += accumulation.resources.resources
      }
    }
    return configs
  }

  /// An entry holding YAML maps rather than a path: the configurations written
  /// in it, each needing a kind and a name as any resource; nil for a path.
  static func inlineConfigs(_ entry: Located<String>, in kustomization: Kustomization, loader: Loader)
    throws(Diagnostic) -> [Resource]?
  {
    guard entry.value.contains("\n") || entry.value.contains(": ") else { return nil }
    var parser = Parser()
    parser.limits = loader.limits.parser
    let documents = try parser.parse(entry.value, file: kustomization.file, lineOffset: entry.mark.line)
    let maps = documents.compactMap(\.mapping)
    guard !maps.isEmpty, maps.count == documents.filter({ !$0.isNull }).count else { return nil }
    var configs: [Resource] = []
    for map in maps where !map.entries.isEmpty {
      let resource = Resource(object: map, source: map.mark)
      guard !resource.gvk.kind.isEmpty, !resource.name.isEmpty else {
        throw Diagnostic(map.mark, "a plugin configuration written inline needs 'kind' and 'metadata.name'")
      }
      resource.origin = .file(kustomization.file)
      configs.append(resource)
    }
    return configs
  }

  /// ConfigMap then Secret generators, each read from its sources now, then Helm charts, rendered now.
  mutating func generate(loader: Loader) throws(Diagnostic) {
    var keyValues = KeyValueLoader(loader: loader, directory: kustomization.directory)
    let entries =
      kustomization.configMapGenerator.map { (ResourceGenerator.Kind.configMap, $0) }
      + kustomization.secretGenerator.map { (ResourceGenerator.Kind.secret, $0) }
    for (kind, entry) in entries {
      let options = (entry.options ?? Kustomization.GeneratorOptions()).overriding(kustomization.generatorOptions)
      let pairs = try keyValues.load(entry, kind: kind.rawValue)
      let resource = ResourceGenerator(kind: kind, generator: entry, options: options).generate(from: pairs)
      resource.origin = .builtin(configuredIn: kustomization.file, kind: kind.builtinKind)
      generated.append(Generated(resource: resource, entry: entry))
    }
    warnings += keyValues.warnings
    guard !kustomization.helmCharts.isEmpty else { return }
    let inflator = HelmInflator(
      settings: loader.helm, loader: loader, kustomization: kustomization,
      root: try loader.realDirectory(kustomization.directory, at: Mark(file: kustomization.file)))
    for var chart in kustomization.helmCharts {
      chart.globals = kustomization.helmGlobals
      var entry = Kustomization.Generator(name: chart.name, mark: chart.mark)
      entry.behavior = .create
      for resource in try inflator.inflate(chart) { generated.append(Generated(resource: resource, entry: entry)) }
    }
  }

  /// A `patchesStrategicMerge:` entry: a file, or a patch written inline.
  static func strategicMergePatches(_ entry: Located<String>, in kustomization: Kustomization, loader: Loader)
    throws(Diagnostic) -> [Mapping]
  {
    let file = Path.join(kustomization.directory, entry.value)
    // An entry that names something on disk (a file, a FIFO, a dangling link) is read
    // as a file, and the loader refuses what is not a regular file inside the root.
    let isFile = loader.fileSystem.kind(of: file) != .missing
    if !isFile && !entry.value.contains("\n") && !entry.value.contains(": ") {
      throw Diagnostic(entry.mark, "patch file '\(entry.value)' not found: no file at '\(file)'")
    }
    let documents = try patchDocuments(
      path: isFile ? entry : nil, inline: isFile ? nil : entry, in: kustomization, loader: loader)
    guard case .strategicMerge(let patches) = try PatchTransformer.classify(documents, at: entry.mark) else {
      throw Diagnostic(entry.mark, "patchesStrategicMerge entries must be strategic merge patches")
    }
    return patches
  }

  /// A `patches:` or `patchesJson6902:` entry's patch, checked against its target.
  static func patch(_ entry: Kustomization.Patch, in kustomization: Kustomization, loader: Loader, json6902: Bool)
    throws(Diagnostic) -> PatchTransformer.Content
  {
    let documents = try patchDocuments(path: entry.path, inline: entry.patch, in: kustomization, loader: loader)
    let content = try PatchTransformer.classify(documents, at: entry.patch?.mark ?? entry.path?.mark ?? entry.mark)
    if json6902, case .strategicMerge = content {
      throw Diagnostic(entry.mark, "a patchesJson6902 entry must hold a JSON patch (a list of operations)")
    }
    if case .json = content, entry.target == nil {
      throw Diagnostic(entry.mark, "a JSON patch needs a 'target'")
    }
    if case .strategicMerge(let patches) = content, entry.target != nil, patches.count > 1 {
      throw Diagnostic(entry.mark, "a patch with a 'target' may hold only one strategic merge document")
    }
    return content
  }

  /// The YAML documents of a patch, from its file (which must lie under the root) or inline text.
  static func patchDocuments(
    path: Located<String>?, inline: Located<String>?, in kustomization: Kustomization, loader: Loader
  )
    throws(Diagnostic) -> [Node]
  {
    let file: String
    let bytes: [UInt8]
    var lineOffset = 0
    if let path, !path.value.isEmpty {
      (file, bytes) = try loader.readEntry(path, in: kustomization.directory, what: "patch file")
      try checkJSON(bytes, at: path.mark)
    } else if let inline {
      (file, bytes, lineOffset) = (kustomization.file, Array(inline.value.utf8), inline.mark.line)
      try checkJSON(bytes, at: inline.mark)
    } else {
      return []
    }
    var parser = Parser()
    parser.limits = loader.limits.parser
    do throws(Diagnostic) {
      return try parser.parse(bytes, file: file, lineOffset: lineOffset)
    } catch let error where error.message.hasSuffix("already defined") {
      // kustomize's YAML library keeps a repeated key: a strategic merge patch
      // reads the first value, a JSON patch (decoded through JSON) the last.
      parser.firstDuplicateKeyWins = true
      let documents = try parser.parse(bytes, file: file, lineOffset: lineOffset)
      guard documents.contains(where: { $0.sequence != nil }) else { return documents }
      parser.firstDuplicateKeyWins = false
      parser.lastDuplicateKeyWins = true
      return try parser.parse(bytes, file: file, lineOffset: lineOffset)
    }
  }

  /// kustomize reads patch text that starts with `[` as JSON, not YAML: a
  /// flow list with unquoted keys (`[{op: add, ...}]`) is refused there.
  static func checkJSON(_ bytes: [UInt8], at mark: Mark) throws(Diagnostic) {
    guard bytes.first == UInt8(ascii: "[") else { return }
    guard (try? JSONSerialization.jsonObject(with: Data(bytes), options: [])) != nil else {
      throw Diagnostic(
        mark,
        "a patch that starts with '[' is read as JSON, as kustomize reads it, and this one is not valid JSON (quote its keys and strings, or write it as a YAML list)"
      )
    }
  }

  /// The kustomization's replacements, those in files read now.
  static func replacements(of kustomization: Kustomization, loader: Loader) throws(Diagnostic) -> [Replacement] {
    try replacements(kustomization.replacements, in: kustomization, loader: loader)
  }

  /// Replacement entries, those in files read now.
  static func replacements(
    _ entries: [Kustomization.ReplacementEntry], in kustomization: Kustomization, loader: Loader
  ) throws(Diagnostic) -> [Replacement] {
    var result: [Replacement] = []
    for entry in entries {
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
}

extension Diagnostic {
  /// The error of an included file, with a note at the entry that included it.
  func included(from mark: Mark) -> Diagnostic {
    guard self.mark.file != mark.file else { return self }
    var error = self
    error.notes.append(Note(mark, "included from here"))
    return error
  }
}
