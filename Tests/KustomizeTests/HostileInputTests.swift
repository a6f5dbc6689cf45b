import Foundation
import Kustomize
import Testing
import YAML

/// Every field that names a file, crossed with every way a path can lead out
/// of the root or to something that is not a regular file: each is refused,
/// at once, with the entry's file and line, and nothing outside is read.
@Suite struct HostileInputTests {
  /// A kustomization for each field that names a file; `ENTRY` is replaced by the path.
  static let fields: [(name: String, kustomization: String)] = [
    ("resources", "resources:\n- ENTRY\n"),
    ("bases (legacy resources)", "bases:\n- ENTRY\n"),
    ("patches", "resources:\n- cm.yaml\npatches:\n- path: ENTRY\n"),
    ("patchesStrategicMerge", "resources:\n- cm.yaml\npatchesStrategicMerge:\n- ENTRY\n"),
    (
      "patchesJson6902",
      "resources:\n- cm.yaml\npatchesJson6902:\n- target: {version: v1, kind: ConfigMap, name: cm}\n  path: ENTRY\n"
    ),
    ("configMapGenerator files", "configMapGenerator:\n- name: g\n  files:\n  - ENTRY\n"),
    ("configMapGenerator key=file", "configMapGenerator:\n- name: g\n  files:\n  - key=ENTRY\n"),
    ("configMapGenerator envs", "configMapGenerator:\n- name: g\n  envs:\n  - ENTRY\n"),
    ("configMapGenerator env (legacy envs)", "configMapGenerator:\n- name: g\n  env: ENTRY\n"),
    ("secretGenerator files", "secretGenerator:\n- name: g\n  files:\n  - ENTRY\n"),
    ("secretGenerator envs", "secretGenerator:\n- name: g\n  envs:\n  - ENTRY\n"),
    ("replacements", "resources:\n- cm.yaml\nreplacements:\n- path: ENTRY\n"),
    ("configurations", "configurations:\n- ENTRY\n"),
    ("crds", "crds:\n- ENTRY\n"),
    ("openapi", "openapi:\n  path: ENTRY\n"),
  ]

  /// What an entry may name, and the words the refusal must hold (alternatives split by `|`).
  static let targets: [(entry: String, refusal: String)] = [
    ("link-out.yaml", "outside the kustomization's directory"),
    ("../outside/secret.yaml", "outside the kustomization's directory"),
    ("OUTSIDE/secret.yaml", "outside the kustomization's directory"),
    ("dir-out/secret.yaml", "outside the kustomization's directory"),
    ("dangling.yaml", "cannot be resolved"),
    ("loop.yaml", "cannot be resolved"),
    ("fifo.yaml", "is a FIFO, not a regular file"),
    ("link-fifo.yaml", "is a FIFO, not a regular file"),
    // Outside the root wherever stdin leads; "cannot be resolved" when it is a pipe.
    ("/dev/stdin", "outside the kustomization's directory|cannot be resolved"),
    ("/proc/self/fd/0", "outside the kustomization's directory|cannot be resolved"),
    ("/dev/zero", "outside the kustomization's directory"),
    ("link-zero.yaml", "outside the kustomization's directory"),
    ("/proc/self/environ", "outside the kustomization's directory"),
  ]

  static let secret = "MRGEN-HOSTILE-SECRET"

  /// A root with a ConfigMap, next to a folder whose file must never be read, and every hostile entry.
  static func tree(_ kustomization: String) throws -> (base: URL, root: String) {
    let manager = FileManager.default
    let base = manager.temporaryDirectory.appendingPathComponent("mrgen-hostile-\(UUID().uuidString)")
    let root = base.appendingPathComponent("root")
    let outside = base.appendingPathComponent("outside")
    try manager.createDirectory(at: root, withIntermediateDirectories: true)
    try manager.createDirectory(at: outside, withIntermediateDirectories: true)
    let secretDocument =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(secret)\ndata:\n  \(secret): \(secret)\n"
    try secretDocument.write(to: outside.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n".write(
      to: root.appendingPathComponent("cm.yaml"), atomically: true, encoding: .utf8)
    func link(_ name: String, _ target: String) throws {
      try manager.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: target)
    }
    try link("link-out.yaml", "../outside/secret.yaml")
    try link("dir-out", outside.path)
    try link("dangling.yaml", "nowhere/at/all.yaml")
    try link("loop.yaml", "loop.yaml")
    try link("link-zero.yaml", "/dev/zero")
    try link("link-fifo.yaml", "fifo.yaml")
    #expect(mkfifo(root.appendingPathComponent("fifo.yaml").path, 0o600) == 0)
    let text = kustomization.replacingOccurrences(of: "OUTSIDE", with: outside.path)
    try text.write(to: root.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    return (base, root.path)
  }

  static var cases: [(field: String, entry: String)] {
    fields.flatMap { field in targets.map { (field.name, $0.entry) } }
  }

  @Test(arguments: cases)
  func everyFieldRefusesEveryWayOut(field: String, entry: String) throws {
    let template = try #require(Self.fields.first { $0.name == field }?.kustomization)
    let kustomization = template.replacingOccurrences(of: "ENTRY", with: entry)
    let line =
      try #require(
        kustomization.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
          $0.contains("ENTRY") || $0.contains(entry)
        }) + 1
    let (base, root) = try Self.tree(kustomization)
    defer { try? FileManager.default.removeItem(at: base) }
    var builder = Builder()
    let error = #expect(throws: Diagnostic.self, "\(field): \(entry)") {
      _ = try Builder.render(try builder.build(root))
    }
    #expect(error?.mark.file == root + "/kustomization.yaml", "\(field): \(entry): \(String(describing: error))")
    #expect(error?.mark.line == line, "\(field): \(entry): \(String(describing: error))")
    let refusal = try #require(Self.targets.first { $0.entry == entry }?.refusal)
    let message = error?.message ?? ""
    #expect(refusal.split(separator: "|").contains { message.contains($0) }, "\(field): \(entry): \(message)")
    #expect(error?.description.contains(Self.secret) == false)
  }

  /// The kustomization file itself is confined to its directory and must be a regular file.
  @Test(arguments: [
    ("link", "outside the kustomization's directory"), ("zero", "outside the kustomization's directory"),
    ("fifo", "is a FIFO, not a regular file"), ("dangling", "cannot be resolved"),
  ])
  func theKustomizationFileItselfIsChecked(kind: String, refusal: String) throws {
    let (base, root) = try Self.tree("resources: []\n")
    defer { try? FileManager.default.removeItem(at: base) }
    let file = root + "/kustomization.yaml"
    try FileManager.default.removeItem(atPath: file)
    switch kind {
    case "link":
      try "resources:\n- cm.yaml\nnamePrefix: \(Self.secret)-\n".write(
        toFile: base.path + "/outside/kustomization.yaml", atomically: true, encoding: .utf8)
      try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "../outside/kustomization.yaml")
    case "zero": try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "/dev/zero")
    case "fifo": #expect(mkfifo(file, 0o600) == 0)
    default: try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "gone.yaml")
    }
    var builder = Builder()
    let error = #expect(throws: Diagnostic.self) { _ = try builder.build(root) }
    #expect(error?.message.contains(refusal) == true, "\(String(describing: error))")
    #expect(error?.description.contains(Self.secret) == false)
  }

  /// kustomize's rules for kustomization directories: relative only, and never one that holds a root being built.
  @Test(arguments: [
    ("resources:\n- ..\n", "cycle: resource '..' contains the directory of a kustomization already being built"),
    ("resources:\n- .\n", "cycle: resource '.' is the directory of a kustomization already being built"),
    ("resources:\n- ../root/..\n", "cycle: resource '../root/..' contains the directory"),
    ("resources:\n- OUTSIDE\n", "is an absolute directory"),
    ("resources:\n- /\n", "is an absolute directory"),
    ("components:\n- ..\n", "cycle: component '..' contains the directory of a kustomization already being built"),
    ("components:\n- OUTSIDE\n", "is an absolute directory"),
  ])
  func directoriesFollowKustomizesRules(kustomization: String, refusal: String) throws {
    let (base, root) = try Self.tree(kustomization)
    defer { try? FileManager.default.removeItem(at: base) }
    try "kind: Component\nresources: []\n".write(
      toFile: base.path + "/outside/kustomization.yaml", atomically: true, encoding: .utf8)
    try "resources:\n- root\n".write(toFile: base.path + "/kustomization.yaml", atomically: true, encoding: .utf8)
    var builder = Builder()
    let error = #expect(throws: Diagnostic.self) { _ = try builder.build(root) }
    #expect(error?.mark.line == 2, "\(String(describing: error))")
    #expect(error?.message.contains(refusal) == true, "\(String(describing: error))")
  }
}
