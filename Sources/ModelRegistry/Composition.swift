import Foundation
import Kustomize
import YAML

/// What `mrgen build DIR --with a,b` builds: one kustomization that lists DIR
/// as a resource and each option's variant for DIR's database as a component,
/// in the order given (options marked to come last after the others, then
/// the companions of the options selected together), with
/// `namespace:` set to `--namespace` or to DIR's own namespace, so that the
/// options' resources land beside the registry.
public struct Composition: Sendable {
  public var target: String
  public var database: String
  public var options: [CatalogOption]
  /// The component directory chosen for each option, in order.
  public var components: [String]
  public var namespace: String?

  /// Checks the selection against the catalog's rules and picks the variants.
  /// - Parameters:
  ///   - target: the directory to build (an overlay, or a kustomization that includes one).
  ///   - selection: option names as the user gave them.
  public init(target: String, selection: [String], namespace: String?, catalog: Catalog, loader: Loader = Loader())
    throws(Diagnostic)
  {
    try Composition.checkNamespace(namespace)
    let inspection = try TargetInspection(of: target, catalog: catalog, loader: loader)
    if selection.isEmpty, inspection.database == nil, let namespace {
      // --namespace alone on a folder of the tree that deploys no database: the plain wrapper.
      self = try Composition(target: target, namespace: namespace)
      return
    }
    guard let database = inspection.database else {
      throw Diagnostic(
        Mark(file: target),
        "'\(target)' deploys no database that the catalog knows, so options cannot be chosen for it",
        notes: [
          Diagnostic.Note(
            nil,
            "an overlay declares its database in the metadata annotation \(CatalogKey.database); overlays: \(catalog.databases.joined(separator: ", "))"
          )
        ])
    }
    let checked = try Rules(catalog: catalog).check(selection, database: database, included: inspection.includedOptions)
    // An option that changes what the others add is applied after them.
    let selected = checked.filter { !$0.comesLast } + checked.filter(\.comesLast)
    self.target = target
    self.database = database
    self.options = selected
    // The rules checked above that each selected option has a variant for the database.
    let names = Set(selected.map(\.name)).union(inspection.includedOptions.keys)
    self.components =
      selected.compactMap { $0.component(for: database) }
      + Composition.companions(of: selected, with: names, database: database, catalog: catalog)
    self.namespace = namespace ?? inspection.namespace
  }

  /// The companion components that go with `selected`, after every option:
  /// for each selected option, those for another option in `names`; and for
  /// an option the target already includes, those for a selected one.
  static func companions(of selected: [CatalogOption], with names: Set<String>, database: String, catalog: Catalog)
    -> [String]
  {
    let selectedNames = Set(selected.map(\.name))
    var result: [String] = []
    for option in catalog.options where names.contains(option.name) {
      for companion in option.companions where names.contains(companion.option.value) {
        // A pair the target already holds both halves of is the target's to compose.
        guard selectedNames.contains(option.name) || selectedNames.contains(companion.option.value),
          let directory = option.companion(with: companion.option.value, for: database)
        else { continue }
        result.append(directory)
      }
    }
    return result
  }

  /// `--namespace` alone on a kustomization outside the Model Registry tree:
  /// a kustomization that lists `target` and sets `namespace:`, as one would
  /// write by hand around a tree that is not one's own.
  public init(target: String, namespace: String) throws(Diagnostic) {
    try Composition.checkNamespace(namespace)
    self.target = target
    self.database = ""
    self.options = []
    self.components = []
    self.namespace = namespace
  }

  /// The folder that holds `target`, where a composition around it is rooted when there is no tree.
  public static func folder(holding target: String) -> String {
    Path.normalize(Path.join(Catalog.absolute(target), ".."))
  }

  static func checkNamespace(_ namespace: String?) throws(Diagnostic) {
    if let namespace, !Composition.isNamespaceName(namespace) {
      throw Diagnostic(
        Mark(file: "--namespace"),
        "'\(namespace)' is not a namespace name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"
      )
    }
  }

  /// The composition as a kustomization held in memory, rooted at `directory`
  /// (which need not exist); paths are written relative to it.
  public func kustomization(in directory: String) -> Kustomization {
    let file = Path.join(directory, "kustomization.yaml")
    var kustomization = Kustomization(file: file, directory: directory)
    let mark = Mark(file: "--with")
    kustomization.resources = [Located(relative(target, from: directory), mark: Mark(file: target))]
    kustomization.components = components.map { Located(relative($0, from: directory), mark: mark) }
    kustomization.namespace = namespace.map { Located($0, mark: Mark(file: "--namespace")) }
    return kustomization
  }

  /// The same kustomization as a file to keep (for `kubectl kustomize`, or to
  /// commit), with paths relative to the directory it will be written to.
  /// Each value goes through the YAML emitter, so that one YAML would read as
  /// something else (a namespace `on`, a path `yes`) is quoted; the fields keep
  /// the order a person writes them in.
  public func kustomizationText(in directory: String) throws(Diagnostic) -> String {
    func list(_ items: [String]) -> Node { .sequence(SequenceNode(items.map { .scalar(.string($0)) })) }
    var fields: [(String, Node)] = [
      ("apiVersion", .scalar(.string("kustomize.config.k8s.io/v1beta1"))),
      ("kind", .scalar(.string("Kustomization"))),
    ]
    if let namespace { fields.append(("namespace", .scalar(.string(namespace)))) }
    fields.append(("resources", list([relative(target, from: directory)])))
    if !components.isEmpty { fields.append(("components", list(components.map { relative($0, from: directory) }))) }
    var text = "# Composed by mrgen: \(command)\n"
    for (key, value) in fields {
      let field = Mapping([Mapping.Entry(key: .string(key), value: value)])
      text += try Emitter().emitString([.mapping(field)])
    }
    return text
  }

  /// Whether `name` can name a namespace (an RFC 1123 label).
  static func isNamespaceName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard (1...63).contains(bytes.count) else { return false }
    func isAlphanumeric(_ byte: UInt8) -> Bool {
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
    guard let first = bytes.first, let last = bytes.last else { return false }
    return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") } && isAlphanumeric(first)
      && isAlphanumeric(last)
  }

  /// The `mrgen build` command that renders this composition.
  public var command: String {
    var words = ["mrgen", "build", target]
    if !options.isEmpty { words += ["--with", options.map(\.name).joined(separator: ",")] }
    if let namespace { words += ["--namespace", namespace] }
    return words.map(Composition.shellWord).joined(separator: " ")
  }

  /// A word as a shell reads it back, on one line: quoted when it holds
  /// anything but plain characters, a line break written as `\n`.
  public static func shellWord(_ word: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./,:=@+-")
    if !word.isEmpty && word.allSatisfy({ plain.contains($0) }) { return word }
    let escaped = word.unicodeScalars.map { scalar -> String in
      switch scalar {
      case "'": return "'\\''"
      case "\n": return "'$'\\n''"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F: return "?"
      default: return String(scalar)
      }
    }.joined()
    return "'" + escaped + "'"
  }

  func relative(_ path: String, from directory: String) -> String {
    Path.relative(Catalog.absolute(path), from: Catalog.absolute(directory))
  }
}

/// What a build directory already is: its database, its namespace and the
/// options it includes, found through its kustomization and the directories it
/// lists as resources.
struct TargetInspection {
  var database: String?
  var namespace: String?
  var includedOptions: [String: String] = [:]

  init(of directory: String, catalog: Catalog, loader: Loader) throws(Diagnostic) {
    var optionByDirectory: [String: String] = [:]
    for option in catalog.options {
      for path in option.directories { optionByDirectory[Self.real(path)] = option.name }
    }
    var visited: Set<String> = []
    try visit(directory, optionByDirectory: optionByDirectory, loader: loader, visited: &visited)
  }

  private mutating func visit(
    _ directory: String, optionByDirectory: [String: String], loader: Loader, visited: inout Set<String>
  ) throws(Diagnostic) {
    guard visited.insert(Self.real(directory)).inserted,
      let kustomization = try Catalog.kustomization(in: directory, loader: loader)
    else { return }
    if database == nil { database = kustomization.annotation(CatalogKey.database)?.value }
    if namespace == nil { namespace = kustomization.namespace?.value }
    for entry in kustomization.components {
      let path = Path.join(directory, entry.value)
      if let name = optionByDirectory[Self.real(path)], includedOptions[name] == nil {
        includedOptions[name] = kustomization.file
      }
    }
    for entry in kustomization.resources where !Loader.isRemote(entry.value) {
      let path = Path.join(directory, entry.value)
      if Catalog.isDirectory(path) {
        try visit(path, optionByDirectory: optionByDirectory, loader: loader, visited: &visited)
      }
    }
  }

  static func real(_ path: String) -> String {
    (try? DiskFileSystem().realPath(path)) ?? Path.normalize(Catalog.absolute(path))
  }
}
