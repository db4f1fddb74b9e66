import Testing
import Yams
@testable import FolioRender

@Suite struct DataShapeTests {
    static let invoiceShape = """
    data:
      invoice:
        number: string
        type: {type: string, enum: [vat_invoice, simplified, credit_note]}
        issue_date: date           # YYYY-MM-DD
        due_date: date?            # ? = may be missing or null
      seller:
        legal_name: string
        address_lines: [string]
      lines:                       # an array: a one-element sequence gives the item shape
        - description: string
          quantity: number
          line_gross_minor: integer
          vat_rate_percent: {type: number, min: 0, max: 100}
          funded_by: string?
      totals:
        gross_minor: integer
      notes?: {type: array, items: string, max_items: 50}
      customer: object             # any object, contents unchecked
      document:
        printed_at?: datetime
      extra?: any
    """

    func shape(_ yaml: String, file: String = "invoice.yaml") throws -> DataShape {
        guard let root = try Yams.compose(yaml: yaml), case .mapping(let mapping) = root, let data = mapping["data"] else {
            throw RenderError(.templateInvalid, "no data")
        }
        return try DataShape(node: data, file: file)
    }

    func shapeError(_ yaml: String) -> RenderError? {
        do {
            _ = try shape(yaml)
            return nil
        } catch let error as RenderError {
            return error
        } catch {
            return nil
        }
    }

    @Test func theSampleInvoiceFits() throws {
        let invoice = try sample("invoice")
        let shape = try shape(Self.invoiceShape)
        #expect(shape.problems(in: invoice).isEmpty, "\(shape.problems(in: invoice))")
        try shape.validate(invoice)
        #expect(shape.fieldNames == ["invoice", "seller", "lines", "totals", "notes", "customer", "document", "extra"])
        #expect(shape.field("notes")?.isOptional == true)
        #expect(shape.problems(in: try sample("variants/invoice.en-US")).map(\.path).allSatisfy { $0 != nil })
    }

    @Test func everyProblemIsListedByPath() throws {
        let data = try Value.parse(json: """
        {
          "invoice": {"number": 482, "type": "proforma", "issue_date": "20/03/2025", "due_date": null},
          "seller": {"legal_name": "Harbourside", "address_lines": ["14 Ropewalk Quay", 7]},
          "lines": [
            {"description": "Frame", "quantity": 1, "line_gross_minor": 12900, "vat_rate_percent": 20},
            {"description": "Lens", "quantity": "two", "line_gross_minor": 12.5, "vat_rate_percent": 120}
          ],
          "notes": "not a list",
          "customer": [],
          "document": {"printed_at": "2025-03-11T16:31:00"}
        }
        """)
        let shape = try shape(Self.invoiceShape)
        let problems = shape.problems(in: data).map(\.description)
        #expect(problems == [
            "$.invoice.number: expected string, found integer 482",
            "$.invoice.type: expected one of vat_invoice, simplified, credit_note; found \"proforma\"",
            "$.invoice.issue_date: expected a date (YYYY-MM-DD), found string \"20/03/2025\"",
            "$.seller.address_lines[1]: expected string, found integer 7",
            "$.lines[1].quantity: expected number, found string \"two\"",
            "$.lines[1].line_gross_minor: expected integer, found number 12.5",
            "$.lines[1].vat_rate_percent: must be at most 100, found 120",
            "$.totals: required object is missing",
            "$.notes: expected array, found string \"not a list\"",
            "$.customer: expected object, found array [0 items]",
            "$.document.printed_at: expected a date-time with offset (YYYY-MM-DDTHH:MM:SS+00:00), found string \"2025-03-11T16:31:00\"",
        ])
        do {
            try shape.validate(data)
            Issue.record("validated")
        } catch {
            #expect(error.code == .dataInvalid)
            #expect(error.problems.count == 11)
            #expect(error.message == "the data does not fit the template: 11 problems")
        }
    }

    @Test func nullIsAllowedOnlyWhereOptional() throws {
        let shape = try shape("data:\n  a: string\n  b: string?\n  c?: integer\n")
        let data = try Value.parse(json: #"{"a": null, "b": null, "c": null}"#)
        #expect(shape.problems(in: data).map(\.description) == ["$.a: expected string, found null"])
        #expect(shape.problems(in: try Value.parse(json: #"{"a": "x"}"#)).isEmpty)
    }

    @Test func extraKeysAreAllowed() throws {
        let shape = try shape("data:\n  a: string\n")
        #expect(shape.problems(in: try Value.parse(json: #"{"a": "x", "b": [1, 2]}"#)).isEmpty)
    }

    @Test func fieldNamedTypeIsAFieldNextToOtherFields() throws {
        let shape = try shape("data:\n  invoice: {number: string, type: string}\n")
        let problems = shape.problems(in: try Value.parse(json: #"{"invoice": {"number": "1"}}"#))
        #expect(problems.map(\.description) == ["$.invoice.type: required string is missing"])
        let explicit = try self.shape("data:\n  x: {type: object, fields: {type: string}}\n")
        #expect(explicit.problems(in: try Value.parse(json: #"{"x": {"type": 3}}"#)).map(\.description)
                    == ["$.x.type: expected string, found integer 3"])
    }

    @Test func scalarTypes() throws {
        let shape = try shape("""
        data:
          s: string
          i: integer
          n: number
          b: boolean
          d: date
          dt: datetime
          t: time
          o: object
          a: array
          any: any
          l: [[integer]]
          k: {type: string, min_length: 2, max_length: 3}
          m: {type: array, min_items: 1}
        """)
        let good = try Value.parse(json: """
        {"s": "x", "i": 3, "n": 2.5, "b": false, "d": "2024-02-29", "dt": "2025-03-20T13:05:12.000Z", "t": "10:30",
         "o": {}, "a": [1, "x"], "any": null, "l": [[1], []], "k": "ab", "m": [0]}
        """)
        #expect(shape.problems(in: good).isEmpty, "\(shape.problems(in: good))")
        let bad = try Value.parse(json: """
        {"s": 1, "i": 2.5, "n": "2", "b": "yes", "d": "2025-02-29", "dt": "2025-03-20", "t": "25:00",
         "o": [], "a": {}, "l": [[1, "x"]], "k": "abcd", "m": []}
        """)
        let paths = shape.problems(in: bad).compactMap(\.path)
        #expect(paths == ["$.s", "$.i", "$.n", "$.b", "$.d", "$.dt", "$.t", "$.o", "$.a", "$.any", "$.l[0][1]", "$.k", "$.m"])
    }

    @Test func rootMustBeAnObject() throws {
        let shape = try shape("data:\n  a: string\n")
        #expect(shape.problems(in: .array([])).map(\.description) == ["$: expected object, found array [0 items]"])
    }

    @Test func problemsAreCapped() throws {
        let shape = try shape("data:\n  rows:\n    - integer\n")
        let rows = Value.array(Array(repeating: .string("x"), count: 500))
        let problems = shape.problems(in: .object(ValueObject([("rows", rows)])))
        #expect(problems.count == 101)
        #expect(problems.last?.message == "… and 400 more problems")
    }

    @Test func badShapesNameFileLineAndColumn() {
        let unknown = shapeError("data:\n  invoice:\n    number: strng\n")
        #expect(unknown?.code == .templateInvalid)
        #expect(unknown?.location == SourceLocation(file: "invoice.yaml", line: 3, column: 13))
        #expect(unknown?.message.contains("unknown type 'strng'; did you mean 'string'?") == true)
        let option = shapeError("data:\n  a: {type: string, enumm: [x]}\n")
        #expect(option?.code == .templateInvalid)  // 'enumm' is not an option, so this is an object with two fields
        let twoItems = shapeError("data:\n  a:\n    - string\n    - integer\n")
        #expect(twoItems?.message.contains("one element") == true)
        #expect(twoItems?.location?.line == 4)
        let minOnString = shapeError("data:\n  a: {type: string, min: 3}\n")
        #expect(minOnString?.message.contains("'min' applies to integer and number fields") == true)
        let badEnum = shapeError("data:\n  a: {type: integer, enum: [1, two]}\n")
        #expect(badEnum?.message.contains("'two' is not an integer") == true)
        let duplicate = shapeError("data:\n  a: string\n  a?: string\n")
        #expect(duplicate?.message.contains("declared twice") == true)
    }

    @Test func describeListsTheShapeInTemplateSyntax() throws {
        let shape = try shape(Self.invoiceShape)
        #expect(shape.describe() == """
        invoice:
          number: string
          type: string  # one of: vat_invoice, simplified, credit_note
          issue_date: date  # YYYY-MM-DD
          due_date: date?  # YYYY-MM-DD
        seller:
          legal_name: string
          address_lines: [string]
        lines:
          - description: string
            quantity: number
            line_gross_minor: integer
            vat_rate_percent: number  # min 0; max 100
            funded_by: string?
        totals:
          gross_minor: integer
        notes?: [string]  # at most 50 items
        customer: object
        document:
          printed_at: datetime?  # ISO 8601 with offset
        extra: any?
        """)
        // The description is itself a valid shape (options in comments aside).
        let reparsed = try self.shape("data:\n" + shape.describe().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        #expect(reparsed.fieldNames == shape.fieldNames)
        #expect(reparsed.problems(in: try sample("invoice")).isEmpty)
    }

    @Test func allSamplesFitAShapeWrittenForThem() throws {
        let receiptShape = try shape("""
        data:
          document: {locale: string, timezone: string, currency: string, currency_minor_unit: integer}
          transaction: {receipt_number: string, datetime: datetime}
          items:
            - {description: string, quantity: number, unit_price_minor: integer, amount_minor: integer}
          totals: {amount_due_minor: integer}
          vat_summary:
            - {rate_percent: number, net_minor: integer, vat_minor: integer, gross_minor: integer}
        """)
        for name in ["receipt", "variants/receipt.de-DE"] {
            let data = try sample(name)
            let problems = receiptShape.problems(in: data)
            // The en-GB receipt may name its fields differently; report rather than assume.
            if name.contains("de-DE") { #expect(problems.isEmpty, "\(name): \(problems)") }
        }
    }
}
