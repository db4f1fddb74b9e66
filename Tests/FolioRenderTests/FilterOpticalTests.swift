import Testing
@testable import FolioRender

@Suite struct FilterOpticalTests {
    @Test(arguments: [
        ("-2.25 | diopter", "-2.25"),
        ("2 | diopter", "+2.00"),
        ("0.25 | sphere", "+0.25"),
        ("0 | diopter", "PL"),
        ("0.001 | diopter", "PL"),
        ("0 | diopter('Plano')", "Plano"),
        ("-2.31 | sphere", "-2.31"),
        ("1.96 | diopter", "+1.96"),
        ("-0.125 | diopter", "-0.13"),
        ("null | diopter", ""),
        ("-0.75 | cylinder", "-0.75"),
        ("null | cylinder", "DS"),
        ("0 | cylinder", "DS"),
        ("0 | cylinder('SPH')", "SPH"),
        ("5 | axis", "005°"),
        ("180 | axis", "180°"),
        ("0 | axis", "180°"),
        ("45 | axis('')", "045"),
        ("null | axis", ""),
        ("63.5 | pd", "63.5"),
        ("64 | pd", "64.0"),
        ("20 | mm", "20.0 mm"),
        ("1.5 | mm(2)", "1.50 mm"),
        ("null | mm", ""),
        ("null | prism", ""),
        ("0.5 | prism", "0.50Δ"),
    ])
    func values(source: String, expected: String) throws {
        #expect(try filtered(source) == expected)
    }

    @Test func labTicketSample() throws {
        let ticket = try sample("lab-ticket")
        func f(_ s: String) throws -> String { try filtered(s, data: ticket) }
        #expect(try f("rx.ordered.right.sphere | sphere") == "-2.25")
        #expect(try f("rx.ordered.right.cylinder | cylinder") == "-0.75")
        #expect(try f("rx.ordered.right.axis | axis") == "180°")
        #expect(try f("rx.ordered.left.axis | axis") == "005°")
        #expect(try f("rx.ordered.left.add | diopter") == "+2.00")
        #expect(try f("rx.ordered.left.prism | prism") == "")
        #expect(try f("rx.compensated_position_of_wear.right.sphere | sphere") == "-2.31")
        #expect(try f("rx.compensated_position_of_wear.left.cylinder | cylinder") == "-0.49")
        #expect(try f("rx.prism_thinning.right | prism") == "1.25Δ BD")
        #expect(try f("rx.prism_thinning.right | prism('angle')") == "1.25Δ @ 270°")
        #expect(try f("rx.pd_mm | pd") == "32.0 / 31.5")
        #expect(try f("rx.near_pd_mm | pd") == "30.0 / 29.5")
        #expect(try f("rx.fitting_height_mm.right | mm") == "20.0 mm")
        #expect(try f("rx.ordered.right.cylinder | cylinder") + " × " + (try f("rx.ordered.right.axis | axis('')"))
                    == "-0.75 × 180")
    }

    @Test func orderSheetAndExamSamples() throws {
        let order = try sample("order-sheet")
        #expect(try filtered("measurements.distance_pd_mm | pd", data: order) == "32.0 / 31.5")
        #expect(try filtered("measurements.distance_pd_mm.binocular | pd", data: order) == "63.5")
        let exam = try sample("exam-form")
        #expect(try filtered("habitual_rx.left.axis | axis", data: exam) == "010°")
        #expect(try filtered("habitual_rx.right.add | diopter", data: exam) == "+1.50")
    }

    @Test func binocularOnlyPD() throws {
        let data = try Value.parse(json: #"{"pd": {"binocular": 63.5}}"#)
        #expect(try filtered("pd | pd", data: data) == "63.5")
    }

    @Test func localisedDecimalsForPatientDocuments() throws {
        #expect(try filtered("-2.25 | diopter", locale: "de-DE", localizeOptical: true) == "-2,25")
        #expect(try filtered("-2.25 | diopter", locale: "de-DE") == "-2.25")
        #expect(try filtered("63.5 | pd", locale: "fr-FR", localizeOptical: true) == "63,5")
    }

    @Test func transposeSwapsCylinderForm() throws {
        let data = try Value.parse(json: #"{"rx": {"sphere": -2.25, "cylinder": -0.75, "axis": 180}}"#)
        #expect(try filtered("(rx | transpose).sphere | sphere", data: data) == "-3.00")
        #expect(try filtered("(rx | transpose).cylinder | cylinder", data: data) == "+0.75")
        #expect(try filtered("(rx | transpose).axis | axis", data: data) == "090°")
        let left = try Value.parse(json: #"{"rx": {"sphere": -2.0, "cylinder": -0.5, "axis": 5}}"#)
        #expect(try filtered("(rx | transpose).axis | axis", data: left) == "095°")
        #expect(try filtered("(rx | transpose).sphere | sphere", data: left) == "-2.50")
    }

    @Test func ltrIsolatesOpticalValuesForRightToLeftDocuments() throws {
        #expect(try filtered("-2.25 | diopter | ltr") == "\u{2066}-2.25\u{2069}")
        #expect(try filtered("null | axis | ltr") == "")
    }

    @Test func badOpticalInput() {
        #expect(filterFailure("200 | axis")?.message.contains("0 to 180") == true)
        #expect(filterFailure("'x' | diopter")?.message.contains("expected a number") == true)
    }
}
