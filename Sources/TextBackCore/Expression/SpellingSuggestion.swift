// Near-miss suggestions for names a person typed. Expressions ("did you mean 'call.outcome'?"),
// placeholders ("did you mean {Name}?") and configuration keys all ask here, so they agree on what
// counts as a typo.

public enum SpellingSuggestion {
    /// The candidate closest to `word` (ignoring case) when it is close enough that a typo is the
    /// likely explanation; nil when nothing is. Ties go to the earlier candidate, so callers list the
    /// most common names first.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased())
        guard !target.isEmpty else { return nil }
        // Short words tolerate one slip; longer ones a few, but never so many that unrelated words match.
        let limit = target.count <= 4 ? 1 : (target.count <= 8 ? 2 : 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = distance(target, Array(candidate.lowercased()))
            guard d <= limit else { continue }
            if let current = best, current.distance <= d { continue }
            best = (candidate, d)
        }
        return best?.candidate
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions each cost one, because "Nmae" is one slip of the fingers, not two.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
