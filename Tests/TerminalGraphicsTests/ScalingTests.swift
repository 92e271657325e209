import Testing
@testable import TerminalGraphics

@Suite struct ScalingTests {
    @Test func fittingKeepsAspectInsideTheCellBox() {
        // 1920×1080 into 80×24 cells of 10×20 px = 800×480 box → width-bound 800×450.
        let s = RGBImage.fittingSize(width: 1920, height: 1080, columns: 80, rows: 24, cellWidth: 10, cellHeight: 20)
        #expect(s.width == 800 && s.height == 450)
        // A tall picture is height-bound.
        let t = RGBImage.fittingSize(width: 100, height: 400, columns: 80, rows: 10, cellWidth: 10, cellHeight: 20)
        #expect(t.width == 50 && t.height == 200)
        let tiny = RGBImage.fittingSize(width: 1000, height: 1, columns: 1, rows: 1, cellWidth: 10, cellHeight: 20)
        #expect(tiny.width == 10 && tiny.height == 1)
    }

    @Test func boxAveragesWholeBlocks() {
        // 4×2 with 2×2 blocks of (0,0,0)/(200,100,50) and (255,255,255)/(1,3,5) → 2×1 means.
        let img = RGBImage(width: 4, height: 2) { x, y in
            if x < 2 { return (x + y) % 2 == 0 ? RGB(0, 0, 0) : RGB(200, 100, 50) }
            return (x + y) % 2 == 0 ? RGB(255, 255, 255) : RGB(1, 3, 5)
        }
        let s = img.scaled(width: 2, height: 1)
        #expect(s[0, 0] == RGB(100, 50, 25))
        #expect(s[1, 0] == RGB(128, 129, 130))
    }

    @Test func fractionalCoverageIsWeighted() {
        // 3 → 2 pixels: target 0 covers src0 fully and half of src1.
        let img = RGBImage(width: 3, height: 1) { x, _ in [RGB(0, 0, 0), RGB(90, 90, 90), RGB(255, 255, 255)][x] }
        let s = img.scaled(width: 2, height: 1)
        #expect(s[0, 0] == RGB(30, 30, 30))      // (0*1 + 90*0.5) / 1.5
        #expect(s[1, 0] == RGB(200, 200, 200))   // (90*0.5 + 255) / 1.5
    }

    @Test func upscaleAndIdentity() {
        let img = RGBImage(width: 2, height: 1) { x, _ in x == 0 ? RGB(10, 20, 30) : RGB(40, 50, 60) }
        #expect(img.scaled(width: 2, height: 1) == img)
        let up = img.scaled(width: 4, height: 3)
        #expect(up[0, 0] == RGB(10, 20, 30) && up[3, 2] == RGB(40, 50, 60))
        #expect(img.fitting(columns: 1, rows: 1, cellWidth: 4, cellHeight: 4).width == 4)
    }
}
