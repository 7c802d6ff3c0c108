import TOML
import Testing

@Suite struct KeyTests {
    @Test func commentsBlankLinesAndWhitespace() throws {
        let text =
            "\u{FEFF}# full-line comment\n\n   \t\nkey = \"value\"  # trailing comment\n"
            + "\t# indented\r\nother\t=\t1\r\n#"
        let table = try TOMLTable(parsing: text)
        #expect(table == ["key": "value", "other": 1])
        #expect(try TOMLTable(parsing: "").isEmpty)
        #expect(try TOMLTable(parsing: "# only a comment").isEmpty)
    }

    @Test func bareAndQuotedKeys() throws {
        let text = """
            key = 1
            bare_key = 2
            bare-key = 3
            1234 = 4
            "127.0.0.1" = 5
            "character encoding" = 6
            "ʎǝʞ" = 7
            'key2' = 8
            'quoted "value"' = 9
            "" = 10
            "tab\\tkey" = 11
            """
        let table = try TOMLTable(parsing: text)
        #expect(
            table.keys == [
                "key", "bare_key", "bare-key", "1234", "127.0.0.1", "character encoding", "ʎǝʞ", "key2",
                "quoted \"value\"", "", "tab\tkey",
            ])
        #expect(table["127.0.0.1"] == 5)
        #expect(table[""] == 10)
    }

    @Test func dottedKeysCreateTables() throws {
        let text = """
            name = "Orange"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            fruit . flavor = "sweet"
            3.14159 = "pi"
            """
        let table = try TOMLTable(parsing: text)
        #expect(
            table == [
                "name": "Orange",
                "physical": ["color": "orange", "shape": "round"],
                "site": ["google.com": true],
                "fruit": ["flavor": "sweet"],
                "3": ["14159": "pi"],
            ])
        #expect(table.value(at: ["site", "google.com"]) == true)
    }
}

@Suite struct TableTests {
    @Test func headersAndNestedHeaders() throws {
        let text = """
            title = "root"

            [owner]
            name = "Tom"

            [database.connection]
            port = 5432

            [ dog . "tater.man" ]
            type.name = "pug"

            [a.b.c]
            [a]
            d = 1
            """
        let table = try TOMLTable(parsing: text)
        #expect(
            table == [
                "title": "root",
                "owner": ["name": "Tom"],
                "database": ["connection": ["port": 5432]],
                "dog": ["tater.man": ["type": ["name": "pug"]]],
                "a": ["b": ["c": [:]], "d": 1],
            ])
        #expect(table.value(at: ["database", "connection", "port"]) == 5432)
        #expect(table.value(at: ["database", "missing"]) == nil)
        #expect(table.value(at: ["title", "x"]) == nil)
    }

    @Test func headersMayAddSubTablesToDottedKeyTables() throws {
        let text = """
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true

            [fruit.apple.texture]
            smooth = true
            """
        #expect(
            try TOMLTable(parsing: text) == [
                "fruit": ["apple": ["color": "red", "taste": ["sweet": true], "texture": ["smooth": true]]]
            ])
    }

    @Test func arraysOfTables() throws {
        let text = """
            [[products]]
            name = "Hammer"
            sku = 738594937

            [[products]]  # empty table within the array

            [[products]]
            name = "Nail"
            color = "gray"

            [[fruits]]
            name = "apple"

            [fruits.physical]
            color = "red"

            [[fruits.varieties]]
            name = "red delicious"

            [[fruits.varieties]]
            name = "granny smith"

            [[fruits]]
            name = "banana"

            [[fruits.varieties]]
            name = "plantain"
            """
        let table = try TOMLTable(parsing: text)
        #expect(
            table["products"] == [["name": "Hammer", "sku": 738_594_937], [:], ["name": "Nail", "color": "gray"]])
        #expect(
            table["fruits"] == [
                [
                    "name": "apple", "physical": ["color": "red"],
                    "varieties": [["name": "red delicious"], ["name": "granny smith"]],
                ],
                ["name": "banana", "varieties": [["name": "plantain"]]],
            ])
    }

    @Test func tableKeepsInsertionOrderButComparesUnordered() throws {
        let table = try TOMLTable(parsing: "z = 1\na = 2\n[m]\n[b]")
        #expect(table.keys == ["z", "a", "m", "b"])
        #expect(table.map(\.key) == ["z", "a", "m", "b"])
        #expect(table == ["a": 2, "b": [:], "m": [:], "z": 1])
        #expect(Set([table, ["a": 2, "b": [:], "m": [:], "z": 1]]).count == 1)
        #expect(table != ["a": 2, "b": [:], "m": [:], "z": 2])
    }

    @Test func subscriptSetsAndRemoves() {
        var table: TOMLTable = ["a": 1]
        table["b"] = "x"
        table["a"] = 3
        #expect(table.keys == ["a", "b"])
        table["a"] = nil
        #expect(table.keys == ["b"])
        #expect(table.count == 1)
        #expect(table.value(at: []) == .table(table))
    }
}
