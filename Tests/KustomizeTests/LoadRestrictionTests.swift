import Foundation
import Kustomize
import Testing
import YAML

/// `--load-restrictor`: files outside a kustomization's directory are refused
/// by default and read with LoadRestrictionsNone, as the reference reads them;
/// either way only regular files are read, and never a process's own files.
@Suite struct LoadRestrictionTests {
  static let tree: [String: MemoryFileSystem.Entry] = [
    "app/kustomization.yaml": .file(Array("resources: [../outside.yaml]\n".utf8)),
    "outside.yaml": .file(Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n".utf8)),
  ]

  static func build(_ entries: [String: MemoryFileSystem.Entry], _ restriction: LoadRestriction) throws -> String {
    var builder = Builder(fileSystem: MemoryFileSystem(entries: entries), restriction: restriction)
    return String(decoding: try Builder.render(try builder.build("app")), as: UTF8.self)
  }

  @Test func aFileOutsideTheRootIsRefusedByDefault() {
    let error = #expect(throws: Diagnostic.self) { try Self.build(Self.tree, .rootOnly) }
    #expect(error?.mark == Mark(file: "app/kustomization.yaml", line: 1, column: 13))
    #expect(error?.message.contains("outside the kustomization's directory") == true)
  }

  @Test func aFileOutsideTheRootIsReadWithLoadRestrictionsNone() throws {
    #expect(try Self.build(Self.tree, .none) == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n")
  }

  @Test func onlyRegularFilesAreReadWithLoadRestrictionsNone() {
    var entries = Self.tree
    entries["outside.yaml"] = .special("a FIFO")
    let error = #expect(throws: Diagnostic.self) { try Self.build(entries, .none) }
    #expect(error?.mark.line == 1)
    #expect(error?.message.contains("FIFO") == true, "\(error?.message ?? "")")
  }

  /// On disk: the environment of the process, through /proc, stays out of a render.
  @Test func aProcessFileIsRefusedWithLoadRestrictionsNone() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mrgen-restrictor-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "configMapGenerator:\n- name: env\n  envs: [/proc/self/environ]\n".write(
      to: directory.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    var builder = Builder(restriction: .none)
    let error = #expect(throws: Diagnostic.self) { try builder.build(directory.path) }
    #expect(error?.mark.line == 3)
    #expect(error?.message.contains("/proc") == true, "\(error?.message ?? "")")
  }

  @Test func theFlagTakesKustomizesSpellings() {
    #expect(LoadRestriction(rawValue: "LoadRestrictionsRootOnly") == .rootOnly)
    #expect(LoadRestriction(rawValue: "LoadRestrictionsNone") == LoadRestriction.none)
    #expect(LoadRestriction(rawValue: "none") == nil)
  }
}
