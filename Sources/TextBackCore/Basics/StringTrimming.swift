// Whitespace trimming without Foundation's NSString bridge: the hot request path (auth header, required
// JSON fields) trims on every request, and `trimmingCharacters(in: .whitespaces)` showed up at ~5 % of
// ingest CPU in `perf`. Same character set as Foundation's `.whitespaces`: Unicode Zs plus tab.

extension Unicode.Scalar {
    @inlinable var isHorizontalWhitespace: Bool {
        if value < 0x80 { return value == 0x20 || value == 0x09 }
        return properties.generalCategory == .spaceSeparator
    }
}

extension StringProtocol {
    /// True when the text is empty or only spaces and tabs (Unicode Zs).
    public var isBlank: Bool { unicodeScalars.allSatisfy(\.isHorizontalWhitespace) }

    /// The text without leading and trailing spaces and tabs (Unicode Zs).
    public var trimmingHorizontalWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isHorizontalWhitespace }),
              let last = scalars.lastIndex(where: { !$0.isHorizontalWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
