/// The xterm 256-colour palette: 16 system colours (never chosen, since every terminal
/// themes them differently), the 6×6×6 cube at 16…231 and the grey ramp at 232…255.
public enum Palette256 {
    /// Cube channel levels, as xterm defines them.
    static let levels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The palette index nearest to `color` (squared RGB distance) among the cube and the
    /// grey ramp; the same rule tmux uses to down-convert 24-bit colour.
    public static func index(of color: RGB) -> Int {
        let r = Int(color.r), g = Int(color.g), b = Int(color.b)
        let ri = nearestLevel(r), gi = nearestLevel(g), bi = nearestLevel(b)
        let cr = levels[ri], cg = levels[gi], cb = levels[bi]
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let cubeDistance = square(cr - r) + square(cg - g) + square(cb - b)

        // Grey ramp: 8, 18, …, 238.
        let mean = (r + g + b) / 3
        let gi2 = mean <= 3 ? 0 : min(23, (mean - 3) / 10)
        let grey = 8 + 10 * gi2
        let greyDistance = square(grey - r) + square(grey - g) + square(grey - b)
        return greyDistance < cubeDistance ? 232 + gi2 : cubeIndex
    }

    /// The colour a standard xterm shows for palette index 16…255.
    public static func color(of index: Int) -> RGB {
        precondition((16...255).contains(index), "only the cube and grey ramp (16–255) have fixed colours; got \(index)")
        if index >= 232 {
            let v = UInt8(8 + 10 * (index - 232))
            return RGB(v, v, v)
        }
        let i = index - 16
        return RGB(UInt8(levels[i / 36]), UInt8(levels[(i / 6) % 6]), UInt8(levels[i % 6]))
    }

    @inline(__always) private static func square(_ v: Int) -> Int { v * v }

    @inline(__always) private static func nearestLevel(_ v: Int) -> Int {
        // Midpoints between levels: 47, 115, 155, 195, 235.
        v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40)
    }
}
