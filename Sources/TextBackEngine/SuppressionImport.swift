// Importing a do-not-contact list (CSV) into the suppression list.
//
// A header row names the columns; the phone column is the first whose name is phone, number,
// phone_number, mobile or e164 (else the first column); an optional `reason` column is kept. Bad rows
// are reported by line number and skipped, the rest are kept; importing the same file again adds
// nothing. Rows go in in batches, one transaction each, so a million rows take seconds.

import Foundation
import TextBackCore
import TextBackStorage

public struct SuppressionImportReport: Sendable {
    public var rows = 0
    public var added = 0
    public var alreadyPresent = 0
    /// (line number, why) for each refused row; at most the first 1000 are kept.
    public var rejected: [(line: Int, reason: String)] = []
    public var rejectedCount = 0
}

public enum SuppressionImport {
    /// `business`: whose list the numbers join; nil is the global do-not-contact list (every business).
    public static func run(csv data: Data, store: any Store, source: String, now: Date, business: BusinessID? = nil, batchSize: Int = 20_000,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws -> SuppressionImportReport {
        var report = SuppressionImportReport()
        var lines = CSVLines(data: data)
        guard let header = lines.next() else { return report }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let phoneColumn = names.firstIndex(where: { ["phone", "number", "phone_number", "mobile", "e164", "telephone"].contains($0) }) ?? 0
        let reasonColumn = names.firstIndex(of: "reason")
        var batch: [SuppressionRecord] = []
        batch.reserveCapacity(batchSize)

        func flush() async throws {
            guard !batch.isEmpty else { return }
            let added = try await store.addSuppressions(batch)
            report.added += added
            report.alreadyPresent += batch.count - added
            batch.removeAll(keepingCapacity: true)
            progress?(report.rows)
        }

        while let line = lines.next() {
            if line.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            report.rows += 1
            guard phoneColumn < line.fields.count else {
                reject(&report, line.number, "has no value in the phone column")
                continue
            }
            do {
                let phone = try PhoneNumber(parsing: line.fields[phoneColumn])
                let reason = reasonColumn.flatMap { $0 < line.fields.count ? line.fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 } ?? "dnc"
                batch.append(SuppressionRecord(phone: phone, reason: reason, source: source, createdAt: now, business: business))
            } catch {
                reject(&report, line.number, error.description)
            }
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        return report
    }

    static func reject(_ report: inout SuppressionImportReport, _ line: Int, _ reason: String) {
        report.rejectedCount += 1
        if report.rejected.count < 1000 { report.rejected.append((line, reason)) }
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF; reports physical line numbers.
struct CSVLines: Sequence, IteratorProtocol {
    struct Line { var number: Int; var fields: [String] }
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(data: Data) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    mutating func next() -> Line? {
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { field.append(byte); index += 1 } else { quoted = false }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            case UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Line(number: startLine, fields: fields)
            default: field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Line(number: startLine, fields: fields)
    }
}
