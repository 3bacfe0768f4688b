// An automation's step tree flattened into a list of instructions, so a run's position is a single
// integer (pc) that can be stored durably between a delay and the send that follows it. Branches
// become conditional jumps that only ever go forward, so every program terminates.

import Foundation

public enum ProgramAction: Sendable, Hashable {
    case delay(TimeSpan, resumeAt: Int)
    case sendSMS(template: String, resumeAt: Int)
    case updateContact([String: MessageTemplate], resumeAt: Int)
    /// A `stop` step: the run ends here on purpose.
    case stop
    /// The run walked off the end of its steps.
    case finished
}

public struct AutomationProgram: Sendable, Hashable {
    enum Instruction: Sendable, Hashable {
        /// Falls through when the condition holds, else jumps to `otherwise`.
        case branch(Expression, otherwise: Int)
        case jump(Int)
        case delay(TimeSpan)
        case sendSMS(template: String)
        case updateContact([String: MessageTemplate])
        case stop
    }

    let instructions: [Instruction]
    /// A stable hash of the program (FNV-1a, 64 bits, hex), computed once when the program is compiled.
    /// A run stores it when it starts; when the configuration changes under an in-flight run, a
    /// different fingerprint means its pc no longer points where it did.
    public let fingerprint: String

    public init(steps: [Step]) {
        var code: [Instruction] = []
        Self.compile(steps, into: &code)
        instructions = code
        fingerprint = Self.fingerprint(of: code)
    }

    private static func compile(_ steps: [Step], into code: inout [Instruction]) {
        for step in steps {
            switch step {
            case .branch(let condition, let then, let otherwise):
                let branchAt = code.count
                code.append(.branch(condition, otherwise: -1))
                compile(then, into: &code)
                if otherwise.isEmpty {
                    code[branchAt] = .branch(condition, otherwise: code.count)
                } else {
                    let jumpAt = code.count
                    code.append(.jump(-1))
                    code[branchAt] = .branch(condition, otherwise: code.count)
                    compile(otherwise, into: &code)
                    code[jumpAt] = .jump(code.count)
                }
            case .delay(let span): code.append(.delay(span))
            case .sendSMS(let template): code.append(.sendSMS(template: template))
            case .updateContact(let fields): code.append(.updateContact(fields))
            case .stop: code.append(.stop)
            }
        }
    }

    public var instructionCount: Int { instructions.count }

    /// Evaluate branches starting at pc until reaching an action; returns the action and where to
    /// resume after it. A pc outside the program (negative, or past the end) is `.finished`.
    public func next(from pc: Int, context: ExpressionContext) throws(ExpressionError) -> ProgramAction {
        var pc = pc
        while pc >= 0, pc < instructions.count {
            switch instructions[pc] {
            case .branch(let condition, let otherwise):
                pc = try condition.isTrue(in: context) ? pc + 1 : otherwise
            case .jump(let target):
                pc = target
            case .delay(let span):
                return .delay(span, resumeAt: pc + 1)
            case .sendSMS(let template):
                return .sendSMS(template: template, resumeAt: pc + 1)
            case .updateContact(let fields):
                return .updateContact(fields, resumeAt: pc + 1)
            case .stop:
                return .stop
            }
        }
        return .finished
    }

    /// One line per instruction ("0: if call.outcome == \"completed\" else goto 2"): for logs, the
    /// dashboard and the fingerprint.
    public var listing: [String] { Self.listing(of: instructions) }

    private static func listing(of instructions: [Instruction]) -> [String] {
        instructions.enumerated().map { pc, instruction in
            let text: String = switch instruction {
            case .branch(let condition, let otherwise): "if \(Self.quote(condition.source)) else goto \(otherwise)"
            case .jump(let target): "goto \(target)"
            case .delay(let span): "delay \(span)"
            case .sendSMS(let template): "send_sms \(Self.quote(template))"
            case .updateContact(let fields):
                "update_contact " + fields.keys.sorted().map { "\(Self.quote($0))=\(Self.quote(fields[$0]?.source ?? ""))" }
                    .joined(separator: " ")
            case .stop: "stop"
            }
            return "\(pc): \(text)"
        }
    }

    private static func fingerprint(of instructions: [Instruction]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in listing(of: instructions).joined(separator: "\n").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
