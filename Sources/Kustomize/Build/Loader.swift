import YAML

/// Reads kustomization files and the files they name, enforcing kustomize's
/// rules and failing closed: a file must resolve to a regular file in or below
/// its kustomization's own directory, a kustomization directory may not be
/// absolute nor contain one being built, remote resources are refused, and a
/// directory must hold exactly one kustomization file. Every read is bounded.
public struct Loader {
  public static let kustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

  public let fileSystem: any FileSystem
  public let limits: Limits
  /// Where the files a kustomization names may lie (kustomize's `--load-restrictor`).
  public let restriction: LoadRestriction
  /// Whether and how `helmCharts` run helm (`--enable-helm` and the other helm flags).
  public let helm: HelmSettings
  /// `--helm-api-versions` as the charts built so far have left them.
  let helmVersions: HelmFlagVersions
  /// The bytes read so far by the build this loader serves.
  let budget: ReadBudget

  public init(
    fileSystem: any FileSystem = DiskFileSystem(), limits: Limits = Limits(), restriction: LoadRestriction = .rootOnly,
    helm: HelmSettings = HelmSettings()
  ) {
    self.fileSystem = fileSystem
    self.limits = limits
    self.restriction = restriction
    self.helm = helm
    helmVersions = HelmFlagVersions(helm.apiVersions)
    budget = ReadBudget(limit: limits.totalBytes)
  }

  /// The kustomization file in a directory, which must itself be a regular file inside it.
  public func kustomizationFile(in directory: String, requestedAt mark: Mark?) throws(Diagnostic) -> String {
    let found = Loader.kustomizationFileNames.map { Path.join(directory, $0) }.filter {
      fileSystem.kind(of: $0) != .missing
    }
    let at = mark ?? Mark(file: directory)
    if found.count > 1 {
      throw Diagnostic(at, "found several kustomization files in '\(directory)': \(found.joined(separator: ", "))")
    }
    guard let file = found.first else {
      throw Diagnostic(
        at,
        "no kustomization file in '\(directory)' (looked for \(Loader.kustomizationFileNames.joined(separator: ", ")))")
    }
    return file
  }

  /// Reads and decodes the kustomization of a directory.
  public func loadKustomization(in directory: String, requestedAt mark: Mark?) throws(Diagnostic) -> (
    Kustomization, [Diagnostic]
  ) {
    let file = try kustomizationFile(in: directory, requestedAt: mark)
    let at = mark ?? Mark(file: file)
    let name = mark == nil ? "the kustomization file" : "the kustomization file '\(file)'"
    let bytes = try read(file, root: try realDirectory(directory, at: at), named: name, at: at)
    // kustomize decodes its own files as JSON, where a repeated key replaces the
    // earlier one, and reads only the first document (what follows is never looked at).
    let documents = try parse(bytes, file: file, lastDuplicateKeyWins: true, firstDocumentOnly: true)
    var decoder = KustomizationDecoder(file: file, directory: directory)
    let kustomization = try decoder.decode(documents)
    return (kustomization, decoder.warnings)
  }

  /// The real location of a kustomization directory; one that cannot be resolved is refused.
  public func realDirectory(_ directory: String, at mark: Mark) throws(Diagnostic) -> String {
    do {
      return try fileSystem.realPath(Path.normalize(directory))
    } catch {
      throw Diagnostic(mark, "the directory '\(directory)' \(error.reason)")
    }
  }

  /// The bytes of the file a kustomization's entry names, relative to the
  /// kustomization's directory and confined to it. `what` names the field in messages.
  public func readEntry(_ entry: Located<String>, in directory: String, what: String) throws(Diagnostic) -> (
    file: String, bytes: [UInt8]
  ) {
    let file = Path.join(directory, entry.value)
    let name = "\(what) '\(entry.value)'"
    switch restriction {
    case .rootOnly:
      return (file, try read(file, root: try realDirectory(directory, at: entry.mark), named: name, at: entry.mark))
    case .none:
      // Anywhere, but still only regular files, and never a running process's own (its environment).
      // The read is confined to the directory the path resolved to here, so a link
      // swapped in after this check (towards /proc, say) is refused, not followed.
      let real: String
      do {
        real = try fileSystem.realPath(file)
      } catch .missing {
        throw Diagnostic(entry.mark, "\(name) not found: no file at '\(file)'")
      } catch {
        throw Diagnostic(entry.mark, "\(name) \(error.reason)")
      }
      if real == "/proc" || real.hasPrefix("/proc/") {
        throw Diagnostic(entry.mark, "\(name) is a file of a running process under /proc; mrgen never reads those")
      }
      let parent = real.lastIndex(of: "/").map { String(real[..<$0]) } ?? "/"
      return (file, try read(file, root: parent.isEmpty ? "/" : parent, named: name, at: entry.mark))
    }
  }

  /// The YAML documents of the file an entry names.
  public func parseEntry(_ entry: Located<String>, in directory: String, what: String) throws(Diagnostic) -> (
    file: String, documents: [Node]
  ) {
    let (file, bytes) = try readEntry(entry, in: directory, what: what)
    return (file, try parse(bytes, file: file))
  }

  /// One bounded, confined read; the total for the build is bounded too.
  func read(_ file: String, root: String, named name: String, at mark: Mark) throws(Diagnostic) -> [UInt8] {
    let bytes: [UInt8]
    do {
      bytes = try fileSystem.readFile(file, within: root, limit: limits.fileBytes)
    } catch .missing {
      throw Diagnostic(mark, "\(name) not found: no file at '\(file)'")
    } catch {
      throw Diagnostic(mark, "\(name) \(error.reason)")
    }
    guard budget.spend(bytes.count) else {
      throw Diagnostic(
        mark,
        "reading \(name) takes the build past its limit of \(Limits.describe(bytes: limits.totalBytes)) read in all (raise it with --limit total-bytes=SIZE)"
      )
    }
    return bytes
  }

  public func parse(_ bytes: [UInt8], file: String, lastDuplicateKeyWins: Bool = false, firstDocumentOnly: Bool = false)
    throws(Diagnostic) -> [Node]
  {
    var parser = Parser()
    parser.limits = limits.parser
    parser.lastDuplicateKeyWins = lastDuplicateKeyWins
    parser.firstDocumentOnly = firstDocumentOnly
    return try parser.parse(bytes, file: file)
  }

  /// Whether a resource entry names something remote, which mrgen never fetches.
  public static func isRemote(_ entry: String) -> Bool {
    entry.contains("://") || entry.hasPrefix("git@") || entry.hasPrefix("github.com/")
      || entry.hasPrefix("gitlab.com/") || entry.hasPrefix("bitbucket.org/") || entry.contains("?ref=")
  }

  /// Checks a kustomization directory that `entry` names under
  /// `resources:` or `components:`. As in kustomize, it may lie outside the
  /// current root but may not be absolute, and may not be (or contain) a
  /// directory whose kustomization is being built: that would be a cycle.
  public func checkIncludedDirectory(_ entry: Located<String>, path: String, visiting: [String], what: String)
    throws(Diagnostic)
  {
    if entry.value.hasPrefix("/") {
      throw Diagnostic(
        entry.mark,
        "\(what) '\(entry.value)' is an absolute directory; kustomize accepts only relative paths to kustomization directories"
      )
    }
    let real = try realDirectory(path, at: entry.mark)
    if let visited = visiting.first(where: { Path.isWithin($0, root: real) }) {
      throw Diagnostic(
        entry.mark,
        visited == real
          ? "cycle: \(what) '\(entry.value)' is the directory of a kustomization already being built"
          : "cycle: \(what) '\(entry.value)' contains the directory of a kustomization already being built")
    }
  }

  /// The resources in one file: every non-empty document, `List`s expanded.
  public func loadResources(_ entry: Located<String>, in directory: String) throws(Diagnostic) -> [Resource] {
    let (file, documents) = try parseEntry(entry, in: directory, what: "resource")
    return try Loader.resources(in: documents, file: file)
  }

  /// The resources of parsed YAML: every non-empty document, `List`s expanded.
  static func resources(in documents: [Node], file: String) throws(Diagnostic) -> [Resource] {
    var resources: [Resource] = []
    var pending = documents
    pending.reverse()
    while let document = pending.popLast() {
      if document.isNull { continue }
      guard case .mapping(let object) = document else {
        throw Diagnostic(document.mark, "a resource must be a map, not \(NodeDecoding.describe(document))")
      }
      if object.entries.isEmpty { continue }
      let kind = object["kind"]?.scalar?.value ?? ""
      if kind.hasSuffix("List"), let items = object["items"] {
        if case .sequence(let sequence) = items {
          pending.append(contentsOf: sequence.items.reversed())
        }
        continue
      }
      if kind.isEmpty {
        throw Diagnostic(object.mark, "resource has no 'kind'")
      }
      // A list kind without items is kept as it is, name or none, as kustomize keeps it
      // (with the metadata map it writes for every object).
      let unnamedList = kind.hasSuffix("List") && (object["metadata"]?.mapping?.string("name") ?? "").isEmpty
      if unnamedList, object["metadata"] == nil { object["metadata"] = .mapping(Mapping(mark: object.mark)) }
      let resource = Resource(object: object, source: object.mark)
      resource.origin = .file(file)
      if resource.name.isEmpty, !unnamedList {
        throw Diagnostic(object.mark, "\(kind) has no 'metadata.name'")
      }
      resources.append(resource)
    }
    return resources
  }
}
