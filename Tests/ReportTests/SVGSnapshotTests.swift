import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Golden files under `Tests/ReportTests/Snapshots/`: a missing one is recorded (and the test fails so that it is
/// looked at), and `RECORD_SNAPSHOTS=1 swift test --filter ReportTests` re-records them all.
enum Snapshot {
    /// The source folder (where goldens are recorded).
    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// The golden's text: from the test bundle's resources, else from the source folder.
    static func golden(_ name: String) -> String? {
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Snapshots"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        {
            return text
        }
        return try? String(contentsOf: sourceDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Expects `actual` to equal the golden `name` (e.g. `interval-chart.svg`).
    static func expectMatches(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = sourceDirectory.appendingPathComponent(name)
        if recording {
            record(actual, to: url, sourceLocation: sourceLocation)
            return
        }
        guard let expected = golden(name) else {
            record(actual, to: url, sourceLocation: sourceLocation)
            Issue.record(
                "recorded the missing snapshot \(name); check it and run the tests again",
                sourceLocation: sourceLocation)
            return
        }
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        var line = 0
        while line < min(actualLines.count, expectedLines.count) && actualLines[line] == expectedLines[line] {
            line += 1
        }
        let got = line < actualLines.count ? String(actualLines[line]) : "(end)"
        let want = line < expectedLines.count ? String(expectedLines[line]) : "(end)"
        let message =
            "\(name) differs from its golden at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n"
            + "Re-record with RECORD_SNAPSHOTS=1 if the change is intended."
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    private static func record(_ text: String, to url: URL, sourceLocation: SourceLocation) {
        do {
            try FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        } catch {
            Issue.record("cannot record \(url.path): \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Parses text as XML with Foundation's `XMLParser` (libxml2): the well-formedness check of every SVG and of the
/// XHTML-compatible HTML report.
enum XMLCheck {
    final class Recorder: NSObject, XMLParserDelegate {
        var root: String?
        var elements = 0
        var errors: [String] = []

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            errors.append("line \(parser.lineNumber), column \(parser.columnNumber): \(parseError)")
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            if root == nil { root = elementName }
            elements += 1
        }
    }

    /// The root element's name and the number of elements, or the parser's errors.
    ///
    /// swift-corelibs-foundation's `parse()` can return true after an error at the end of the input (an unclosed
    /// element), so the delegate's errors and `parserError` are checked too.
    static func parse(_ text: String) -> Result<(root: String, elements: Int), XMLCheckError> {
        let parser = XMLParser(data: Data(text.utf8))
        let recorder = Recorder()
        parser.delegate = recorder
        parser.shouldResolveExternalEntities = false
        let finished = parser.parse()
        guard finished, parser.parserError == nil, recorder.errors.isEmpty, let root = recorder.root else {
            var errors = recorder.errors
            if let error = parser.parserError { errors.append("\(error)") }
            if recorder.root == nil { errors.append("no root element") }
            return .failure(XMLCheckError(message: errors.joined(separator: "; ")))
        }
        return .success((root, recorder.elements))
    }

    /// Expects `text` to be well-formed XML with root element `root`.
    static func expectWellFormed(
        _ text: String, root: String, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch parse(text) {
        case .success(let parsed):
            #expect(parsed.root == root, "\(what): root element \(parsed.root)", sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("\(what) is not well-formed XML: \(error.message)", sourceLocation: sourceLocation)
        }
    }
}

struct XMLCheckError: Error {
    var message: String
}

struct SVGSnapshotTests {
    @Test func theWellFormednessCheckRejectsBrokenMarkup() {
        if case .success = XMLCheck.parse("<svg><g></svg>") { Issue.record("an unclosed element passed") }
        if case .success = XMLCheck.parse("<svg><text>a & b</text></svg>") { Issue.record("a raw & passed") }
        if case .success(let parsed) = XMLCheck.parse("<svg><g/><text>a &amp; b</text></svg>") {
            #expect(parsed.root == "svg" && parsed.elements == 3)
        } else {
            Issue.record("valid markup failed")
        }
    }

    @Test func goldenFilesAreBundled() {
        #expect(Snapshot.golden("interval-chart.svg") != nil || Snapshot.recording)
    }
}
