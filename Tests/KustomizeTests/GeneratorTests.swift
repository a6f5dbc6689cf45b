import Kustomize
import Testing
import YAML

/// ConfigMap and Secret generators; expected hashes are the ones kustomize v5.6.0 printed for the same input.
@Suite struct GeneratorTests {
  func names(_ output: String) -> [String] {
    output.split(separator: "\n").filter { $0.hasPrefix("  name: ") }.map { String($0.dropFirst(8)) }
  }

  @Test(arguments: [
    ("configMapGenerator:\n- name: empty\n", "empty-6ct58987ht"),
    (
      "secretGenerator:\n- name: sec\n  literals:\n  - password=s3cr3t\n  type: kubernetes.io/basic-auth\n",
      "sec-ggkbtt8fgg"
    ),
    ("secretGenerator:\n- name: opaque\n  files:\n  - greeting.txt\n", "opaque-62km92df64"),
    ("configMapGenerator:\n- name: other-name\n", "other-name-6ct58987ht"),
  ])
  func hashesMatchTheReference(_ row: (String, String)) throws {
    let output = try render(["kustomization.yaml": row.0, "greeting.txt": "hello\n"])
    #expect(names(output) == [row.1])
  }

  @Test func hashIgnoresTheNameButNotTheData() throws {
    let a = try render(["kustomization.yaml": "configMapGenerator:\n- name: a\n  literals: [k=1]\n"])
    let b = try render(["kustomization.yaml": "configMapGenerator:\n- name: b\n  literals: [k=1]\n"])
    let c = try render(["kustomization.yaml": "configMapGenerator:\n- name: a\n  literals: [k=2]\n"])
    #expect(names(a)[0].suffix(10) == names(b)[0].suffix(10))
    #expect(names(a)[0] != names(c)[0])
  }

  @Test func literalsEnvsAndFiles() throws {
    let output = try render([
      "kustomization.yaml": """
      configMapGenerator:
      - name: c
        literals: ["quoted=\\"a b\\"", "eq=x=y"]
        envs: [app.env]
        files: [renamed=data.txt, data.txt]
        options: {disableNameSuffixHash: true}
      """,
      "app.env": "# comment\n\n  KEY=value with spaces \nQUOTED=\"kept\"\r\n",
      "data.txt": "line\n",
    ])
    #expect(output.contains("  KEY: 'value with spaces '\n"))
    #expect(output.contains("  QUOTED: '\"kept\"'\n"))
    #expect(output.contains("  quoted: a b\n"))
    #expect(output.contains("  eq: x=y\n"))
    #expect(output.contains("  renamed: |\n    line\n"))
    #expect(output.contains("  data.txt: |\n    line\n"))
  }

  /// The reference writes an empty value for a line without `=`; mrgen never reads its own environment.
  @Test func envLinesWithoutValuesAreEmpty() throws {
    let output = try render([
      "kustomization.yaml":
        "configMapGenerator:\n- name: c\n  envs: [a.env]\n  options: {disableNameSuffixHash: true}\n",
      "a.env": "PATH\nHOME\n",
    ])
    #expect(output.contains("data:\n  HOME: \"\"\n  PATH: \"\"\nkind: ConfigMap\n"))
  }

  @Test func globalAndLocalOptions() throws {
    let output = try render([
      "kustomization.yaml": """
      generatorOptions:
        labels: {shared: global, only-global: g}
        immutable: true
      configMapGenerator:
      - name: c
        options:
          labels: {shared: local}
          disableNameSuffixHash: true
      """
    ])
    #expect(output.contains("immutable: true\n"))
    #expect(output.contains("    only-global: g\n    shared: local\n"))
    #expect(names(output) == ["c"])
  }

  @Test func mergeAndReplaceAcrossThreeLevels() throws {
    let output = try render(
      [
        "base/kustomization.yaml": "namePrefix: b-\nconfigMapGenerator:\n- name: c\n  literals: [a=1, b=2]\n",
        "mid/kustomization.yaml":
          "resources: [../base]\nconfigMapGenerator:\n- name: c\n  behavior: merge\n  literals: [b=20, c=3]\n",
        "top/kustomization.yaml":
          "resources: [../mid]\nconfigMapGenerator:\n- name: c\n  behavior: merge\n  literals: [d=4]\n",
        "replace/kustomization.yaml":
          "resources: [../mid]\nconfigMapGenerator:\n- name: c\n  behavior: replace\n  literals: [only=this]\n",
      ], at: "top")
    #expect(output.contains("data:\n  a: \"1\"\n  b: \"20\"\n  c: \"3\"\n  d: \"4\"\n"))
    #expect(names(output).first?.hasPrefix("b-c-") == true)
    let replaced = try render(
      [
        "base/kustomization.yaml": "namePrefix: b-\nconfigMapGenerator:\n- name: c\n  literals: [a=1, b=2]\n",
        "mid/kustomization.yaml":
          "resources: [../base]\nconfigMapGenerator:\n- name: c\n  behavior: merge\n  literals: [b=20, c=3]\n",
        "replace/kustomization.yaml":
          "resources: [../mid]\nconfigMapGenerator:\n- name: c\n  behavior: replace\n  literals: [only=this]\n",
      ], at: "replace")
    #expect(replaced.contains("data:\n  only: this\n"))
  }

  @Test func errorsNameFileAndLine() throws {
    let cases: [([String: String], String, Int, String)] = [
      (
        ["kustomization.yaml": "configMapGenerator:\n- name: c\n  files: [gone.txt]\n"], "kustomization.yaml", 3,
        "not found"
      ),
      (
        ["kustomization.yaml": "configMapGenerator:\n- name: c\n  literals: [a=1, a=2]\n"], "kustomization.yaml", 3,
        "illegally repeats the key `a`"
      ),
      (
        ["kustomization.yaml": "configMapGenerator:\n- name: c\n  behavior: merge\n"], "kustomization.yaml", 2,
        "no ConfigMap of that name to merge"
      ),
      (
        ["kustomization.yaml": "configMapGenerator:\n- name: c\n  literals: [novalue]\n"], "kustomization.yaml", 3,
        "must be key=value; this one has no key"
      ),
    ]
    for (files, file, line, message) in cases {
      let error = #expect(throws: Diagnostic.self) { try render(files) }
      #expect(error?.mark.file == file)
      #expect(error?.mark.line == line)
      #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
  }

  @Test func malformedEnvLineNamesTheEnvFile() throws {
    var builder = Builder(
      fileSystem: MemoryFileSystem(bytes: [
        "kustomization.yaml": Array("configMapGenerator:\n- name: c\n  envs: [a.env]\n".utf8),
        "a.env": [0x41, 0x3D, 0x31, 0x0A, 0x42, 0x3D, 0xFF, 0x0A],
      ]))
    let error = #expect(throws: Diagnostic.self) { try builder.build(".") }
    #expect(error?.mark == Mark(file: "a.env", line: 2, column: 1))
  }
}

@Suite struct JSONWriterTests {
  @Test func escapesAsGoDoes() throws {
    let node = try Parser().parse("b: \"<a&b>\\u2028\\t\\u0001\"\na: [1, 1.5, true, null, x]\n", file: "j.yaml")[0]
    #expect(JSONWriter.write(node) == #"{"a":[1,1.5,true,null,"x"],"b":"\u003ca\u0026b\u003e\u2028\t\u0001"}"#)
  }
}
