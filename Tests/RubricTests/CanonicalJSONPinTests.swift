import Foundation
import Rubric
import Testing

/// Today's canonical JSON, pinned byte for byte before concord's JSON writers became one
/// (issue 15). A rubric version is the SHA-256 of this text (docs/rubrics.md), so the same
/// file must keep the same bytes, and so the same hash, whatever writes them.
@Suite struct CanonicalJSONPinTests {
    @Test(arguments: [
        ("av-cut-in.yaml", "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137"),
        ("hard-braking.yaml", "140ebea4801c39bb4ad5980e197495ec0f5bd5f4103efdaa2b4f97d30469c40a"),
        ("hazard-detection.yaml", "e5d9cf2ac858371629388264f42d0076dc2cbb4230125394d9591c1bb183ea72"),
        ("genvideo-quality.yaml", "22942f9c65096550d3dab980a57148f81a879a7bde679aa3cbf125c821774ada"),
        ("video-preference.yaml", "741e9b648843030c2c82d7dc6c0ff5cc26e2f4d6c3db39052f58a2dab72d6bb9"),
    ])
    func shippedRubricsKeepTheirHashes(file: String, hash: String) throws {
        let rubric = try ShippedRubricsTests.load(file)
        #expect(rubric.contentHash == hash)
    }

    /// Every kind of value a rubric holds: quotes, backslashes, tabs and line breaks, text
    /// beyond ASCII (a bidi control and an emoji included, which canonical JSON keeps as
    /// they are), fractional and negative numbers, `when` lists, option descriptions and
    /// keys, a criterion that is not required, and `require_full_view`.
    static let awkward = #"""
        name: pin
        title: 'Pin "quoted" \ back'
        instructions: "tab\there\nnext line é \u202E ✓ 🚗"
        require_full_view: true
        criteria:
          - id: kind
            question: What kind?
            scale: nominal
            options:
              - value: car
                description: "A car \"sedan\""
              - value: truck
                key: t
                label: Truck ⛟
          - id: size
            question: How big?
            scale: interval
            range: [-1.5, 2.25]
            step: 0.25
            when: {kind: [car, truck]}
            help: |
              Look closely.
              Then answer.
          - id: notes
            question: Notes?
            scale: text
            required: false
        """#

    @Test func everyKindOfValueIsSpelledAsBefore() throws {
        let rubric = try Rubric.parse(Self.awkward, file: "pin.yaml")
        #expect(rubric.canonicalJSON == #"""
            {"criteria":[{"id":"kind","options":[{"description":"A car \"sedan\"","key":"1","label":"car","value":"car"},{"key":"t","label":"Truck ⛟","value":"truck"}],"question":"What kind?","required":true,"scale":"nominal"},{"help":"Look closely.\nThen answer.","id":"size","question":"How big?","range":[-1.5,2.25],"required":true,"scale":"interval","step":0.25,"when":{"kind":["car","truck"]}},{"id":"notes","question":"Notes?","required":false,"scale":"text"}],"instructions":"tab\there\nnext line é \#u{202E} ✓ 🚗","name":"pin","require_full_view":true,"title":"Pin \"quoted\" \\ back"}
            """#)
        #expect(rubric.contentHash == "85b7104bf21b5ece93839cdb2ff96c7b1f2528d21da6c029db56544772aa3c22")
    }
}
