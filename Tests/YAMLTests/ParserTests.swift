import Testing
import YAML

@Suite struct ParserTests {
  @Test func nodesKeepTheirMarks() throws {
    let documents = try Parser().parse("a: 1\nb:\n  - x\n  - y: z\n---\nc: d\n", file: "marks.yaml")
    #expect(documents.count == 2)
    let first = try #require(documents[0].mapping)
    #expect(first.entries[0].key.mark == Mark(file: "marks.yaml", line: 1, column: 1))
    let list = try #require(first["b"]?.sequence)
    #expect(list.items[1].mark.line == 4)
    #expect(list.items[1].mark.column == 5)
    #expect(documents[1].mark.line == 6)
  }

  @Test func scalarsResolveAsKustomizeReadsThem() throws {
    let source = "a: yes\nb: true\nc: 0777\nd: 1.5\ne: ~\nf: '1'\ng: 2001-12-14\nh: !!str 12\ni: !!int \"7\"\n"
    let mapping = try #require(try Parser().parse(source, file: "kinds.yaml")[0].mapping)
    let kinds = mapping.entries.map(\.value.scalar!.kind)
    #expect(kinds == [.string, .bool, .int, .float, .null, .string, .timestamp, .string, .int])
  }

  @Test func malformedYAMLNamesItsLine() throws {
    let error = #expect(throws: Diagnostic.self) {
      try Parser().parse("a: 1\nb:\n  c: 2\n d: 3\n", file: "bad.yaml")
    }
    #expect(error?.mark.file == "bad.yaml")
    #expect(error?.mark.line == 4)
    #expect(error?.description.hasPrefix("bad.yaml:4:") == true)
    #expect(error?.description.contains("error: malformed YAML") == true)
  }

  @Test func aliasesAreExpandedIntoCopies() throws {
    let source = "base: &b\n  x: 1\ncopy: *b\n"
    let mapping = try #require(try Parser().parse(source, file: "alias.yaml")[0].mapping)
    let original = try #require(mapping["base"]?.mapping)
    let copy = try #require(mapping["copy"]?.mapping)
    #expect(original !== copy)
    #expect(copy["x"]?.scalar?.value == "1")
  }

  @Test func aliasExpansionIsBounded() throws {
    var source = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    var previous = "a"
    for level in ["b", "c", "d", "e", "f", "g", "h"] {
      source += "\(level): &\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
      previous = level
    }
    let error = #expect(throws: Diagnostic.self) { try Parser().parse(source, file: "laughs.yaml") }
    #expect(error?.message.contains("aliases expand to more than") == true)
  }

  @Test func mergeKeysAddMissingEntries() throws {
    let source = "defaults: &d\n  a: 1\n  b: 2\nitem:\n  <<: *d\n  b: 3\n"
    let item = try #require(try Parser().parse(source, file: "merge.yaml")[0].mapping?["item"]?.mapping)
    #expect(item.keys.sorted() == ["a", "b"])
    #expect(item["b"]?.scalar?.value == "3")
  }

  @Test func duplicateKeysAreRejected() throws {
    let error = #expect(throws: Diagnostic.self) { try Parser().parse("a: 1\na: 2\n", file: "dup.yaml") }
    #expect(error?.mark.line == 2)
  }

  @Test func emptyDocumentsReadAsNull() throws {
    let documents = try Parser().parse("---\n---\na: 1\n", file: "empty.yaml")
    #expect(documents.count == 2)
    #expect(documents[0].isNull)
  }
}

@Suite struct KeyOrderTests {
  @Test(arguments: [
    ("jwks_uri", "jwksUri"), ("item2", "item10"), ("a", "b"), ("A", "a"), ("", "a"), ("a", "ab"),
    ("1", "a"), ("x-1", "xa"), ("v1beta1", "v1beta2"), ("v1", "v1alpha1"),
  ])
  func ordersKeysLikeKustomize(_ pair: (String, String)) {
    #expect(KeyOrder.areInIncreasingOrder(pair.0, pair.1))
    #expect(!KeyOrder.areInIncreasingOrder(pair.1, pair.0))
  }
}

@Suite struct ResolverTests {
  @Test(arguments: [
    "yes", "on", "Off", "y", "N", "true", "null", "~", "", "12", "0x1F", "1e3", ".5", "1:20", "2001-12-14", "1_000",
    "+1",
  ])
  func yaml11NonStringsNeedQuotes(_ text: String) {
    #expect(ScalarResolver.needsQuoting(text))
  }

  @Test(arguments: ["hello", "yess", "<<", "1.2.3", "v1", "-", "e3", "0x", "+.5x", "nullable"])
  func ordinaryStringsStayPlain(_ text: String) {
    #expect(!ScalarResolver.needsQuoting(text))
  }

  @Test(arguments: [
    ("0777", ScalarKind.int, "511"), ("1e3", .float, "1000"), ("1.0", .float, "1"), ("1e21", .float, "1e+21"),
    ("1.5e-7", .float, "1.5e-07"), ("123456.789", .float, "123456.789"), ("1234567.5", .float, "1.2345675e+06"),
    ("True", .bool, "true"), ("-0", .int, "0"), ("100000000000000000000", .float, "1e+20"),
    ("2001-12-14T21:59:43.10-05:00", .timestamp, "2001-12-14T21:59:43.1-05:00"),
    ("2001-12-14", .timestamp, "2001-12-14T00:00:00Z"),
  ])
  func canonicalNumbersMatchTheJSONRoundTrip(_ row: (String, ScalarKind, String)) {
    let scalar = Scalar.resolving(row.0, style: .plain, mark: .generated)
    #expect(scalar.kind == row.1)
    #expect(ScalarResolver.canonicalText(scalar) == row.2)
  }

  /// A repeated key: an error by default; the first or the last value kept when asked,
  /// in small maps and in maps large enough to be indexed.
  @Test(arguments: [2, 40])
  func repeatedKeysFollowThePolicy(size: Int) throws {
    let filler = (0..<size).map { "k\($0): \($0)\n" }.joined()
    let text = filler + "x: first\n" + "y: kept\n" + "x: second\n"
    #expect(throws: Diagnostic.self) { try Parser().parse(text, file: "t.yaml") }
    var first = Parser()
    first.firstDuplicateKeyWins = true
    let keptFirst = try #require(try first.parse(text, file: "t.yaml").first?.mapping)
    #expect(keptFirst.string("x") == "first")
    #expect(keptFirst.entries.map(\.key.value).suffix(2) == ["x", "y"])
    #expect(keptFirst.entries.count == size + 2)
    var last = Parser()
    last.lastDuplicateKeyWins = true
    let keptLast = try #require(try last.parse(text, file: "t.yaml").first?.mapping)
    #expect(keptLast.string("x") == "second")
    #expect(keptLast.entries.map(\.key.value).suffix(2) == ["y", "x"])
    #expect(keptLast.entries.count == size + 2)
  }
}
