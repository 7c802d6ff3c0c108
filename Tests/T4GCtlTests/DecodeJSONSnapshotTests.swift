// swift-format-ignore-file: the snapshots hold lines as t4gctl printed them, some longer than 120 characters.
import Foundation
import TestSupport
import Testing

/// `t4gctl decode --offline --json` prints exactly what it printed before issue 23's human output.
@Suite struct DecodeJSONSnapshotTests {
    @Test(arguments: decodeJSONSnapshots.indices)
    func jsonIsByteForByteAsBefore(index: Int) throws {
        let result = try runT4GCtl(["decode", "--offline", SpecVector.all.valid[index].invoice, "--json"])
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == decodeJSONSnapshots[index] + "\n")
    }
}

/// `t4gctl decode --offline INVOICE --json` of each valid spec vector, as printed before the human-output work
/// (issue 23), by the t4gctl built from main at 54569a4: `--json` output must stay byte for byte the same.
let decodeJSONSnapshots: [String] = [
    #"""
    {
      "amount_msat" : null,
      "description" : "Please consider supporting this project",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "8d3ce9e28357337f62da0162d9454df827f83cfe499aeb1c1db349d4d81127425e434ca29929406c23bba1ae8ac6ca32880b38d4bf6ff874024cac34ba9625f1",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 250000000,
      "description" : "1 cup coffee",
      "description_hash" : null,
      "expires_at" : 1496314718,
      "expiry" : 60,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "e59e3ffbd3945e4334879158d31e89b076dff54f3fa7979ae79df2db9dcaf5896cbfe1a478b8d2307e92c88139464cb7e6ef26e414c4abe33337961ddc5e8ab1",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 250000000,
      "description" : "ナンセンス 1杯",
      "description_hash" : null,
      "expires_at" : 1496314718,
      "expiry" : 60,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "bae41ef385e0fc972977c7ea42b12cbd76577d2412919da8a8a22f9577b6507710c0e96dd78c821dea16453037f717f44aa7e3d196ebb18fbb97307dcb7336c3",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "f67a5f696648fa4fb102e1a07b230e54722f8e024cee71e80b4847ac191da3fb2d2cdb28cc32344d7e9a9cf5c9b6a0ee0582ae46e9938b9c81e344a4dbb5289d",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "testnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "6ca95a74dc32e69ced6175b15a5cc56a92bf19f5dace0f134b7d94d464b9f5cf6090a18d48b243f289394d17bdf89466d8e6b37df5981f696bc3dd5986e1bee1",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "1RustyRX2oai4EYYDpQGWvEL62BBGqN9T"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 0,
      "route_hints" : [
        [
          {
            "cltv_expiry_delta" : 3,
            "fee_base_msat" : 1,
            "fee_proportional_millionths" : 20,
            "pubkey" : "029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255",
            "short_channel_id" : "66051x263430x1800"
          },
          {
            "cltv_expiry_delta" : 4,
            "fee_base_msat" : 2,
            "fee_proportional_millionths" : 30,
            "pubkey" : "039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255",
            "short_channel_id" : "197637x395016x2314"
          }
        ]
      ],
      "signature" : "6a6586db4e8f6d40e3a5bb92e4df5110c627e9ce493af237e20a046b4e86ea200178c59564ecf892f33a9558bf041b6ad2cb8292d7a6c351fbb7f2ae2d16b54e",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "16810439d1a9bfd5a65acc61340dc92448bb2d456a80b58ce012b73cb5202438020500c9ab7ef5573a4d174c811f669885ae27f895bb3a3be52c243589f87518",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 0,
      "route_hints" : [

      ],
      "signature" : "5a8bd7b97c1cc9055ee60cf2356621f8752248e037a953886a1782b44a58f5ff2d94e6bc89b7b514541a3603bb33722b6c08aa1a3639d34becc549a99fea6eae",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "2b3ec248f80301a421817369194f012cdd8af8df1c279981420f9e901e20fa3309d791e11355e609b59ce4a220852a0cd55ab862b1785a83b206c90fa74d01c8",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2000000000,
      "description" : null,
      "description_hash" : "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1",
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [
        "bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm"
      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 0,
      "route_hints" : [

      ],
      "signature" : "269fa68a6051f26991ab50eb851494d1a4b9c616aeee892ff50a144af471554a3057b2fee45910e267c4ef6067da10016cf5519237b3ca1c1c2014cc1d6f69a6",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 967878534,
      "description" : "Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1, \"Back In My Day\" Sticker x 2, \"I Got Lightning Working\" Sticker x 2 and 1 more items",
      "description_hash" : null,
      "expires_at" : 1573073503,
      "expiry" : 604800,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 10,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [
        [
          {
            "cltv_expiry_delta" : 40,
            "fee_base_msat" : 1000,
            "fee_proportional_millionths" : 2500,
            "pubkey" : "03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7",
            "short_channel_id" : "589390x3312x1"
          }
        ]
      ],
      "signature" : "1b1160cf6186b55722c1ac7ea502086baaccaabdc76b326e666b7f309d972b15069bfca11cd365304b36f48230cc12f3f13a017aab65f7c165a169df32282a58",
      "timestamp" : 1572468703,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2500000000,
      "description" : "coffee beans",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14,
        99
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "5755469bf4b8e6b6ae7a1308d5f9bad5c82812e0855cd24fac242aa323fa820c5c551ede4faeabcb7fb6d5a464ad0e35c86f615589ee0e0c250c216a662198c1",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2500000000,
      "description" : "coffee beans",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14,
        99
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "5755469bf4b8e6b6ae7a1308d5f9bad5c82812e0855cd24fac242aa323fa820c5c551ede4faeabcb7fb6d5a464ad0e35c86f615589ee0e0c250c216a662198c1",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 2500000000,
      "description" : "coffee beans",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14,
        99
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 0,
      "route_hints" : [

      ],
      "signature" : "150a5252308f25bc2641a186de87470189bb003774326beee33b9a2a720d1584386631c5dda6fc3195f97464bfc93d2574868eadd767d6da1078329c4349c837",
      "timestamp" : 1496314658,
      "warnings" : [
        "invalid_fallback_field: skipped f field of version 19",
        "invalid_field_length: skipped p field of 51 words",
        "invalid_field_length: skipped p field of 53 words",
        "invalid_field_length: skipped h field of 51 words",
        "invalid_field_length: skipped h field of 53 words",
        "invalid_field_length: skipped s field of 51 words",
        "invalid_field_length: skipped s field of 53 words",
        "invalid_field_length: skipped n field of 52 words",
        "invalid_field_length: skipped n field of 54 words"
      ]
    }
    """#,
    #"""
    {
      "amount_msat" : 1000000000,
      "description" : "payment metadata inside",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14,
        48
      ],
      "metadata" : "01fafaf0",
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "f5d27be7d9c27d3aa521bc35d77cabd6bda18f1f61716445b19e27e4e17a887508ea8de5a8e1d94f561248f65434e61a221160dac1f1991b9c0f1057b269d898",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
    #"""
    {
      "amount_msat" : null,
      "description" : "Please consider supporting this project",
      "description_hash" : null,
      "expires_at" : 1496318258,
      "expiry" : 3600,
      "fallbacks" : [

      ],
      "features" : [
        8,
        14
      ],
      "metadata" : null,
      "min_final_cltv_expiry" : 18,
      "network" : "mainnet",
      "payee" : "02d0139ce7427d6dfffd26a326c18be754ef1e64672b42694ba5b23ef6e6e7803d",
      "payment_hash" : "0001020304050607080900010203040506070809000102030405060708090102",
      "payment_secret" : "1111111111111111111111111111111111111111111111111111111111111111",
      "recovery_id" : 1,
      "route_hints" : [

      ],
      "signature" : "8d3ce9e28357337f62da0162d9454df827f83cfe499aeb1c1db349d4d8112742a1bcb35d66d6bf93dc445e51753935cc32a3a411efd8a7c7bd85b25815a01b50",
      "timestamp" : 1496314658,
      "warnings" : [

      ]
    }
    """#,
]
