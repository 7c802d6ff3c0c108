extension RPCMethod.Declaration {
    /// Every method of the RPC contract, by name: what `rpc.discover` publishes and docs/api.md documents. A
    /// new method adds its declaration here and its handler to its area's method list.
    static let all: [Self] = [
        .accountClose, .accountCreate, .accountGet, .accountList, .accountStatement, .accountTransfer,
        .accountUpdate, .daemonBackup, .daemonHealth, .daemonInfo, .daemonStop, .eventsList, .eventsSubscribe,
        .eventsWait,
        .invoiceCancel, .invoiceCreate, .invoiceDecode, .invoiceGet, .invoiceList, .invoiceWait, .ledgerAudit,
        .nodeChannels, .nodeInfo, .paymentGet, .paymentList, .paymentSend,
        .proofAttest, .proofCreate, .proofExport, .proofGet, .proofHistory, .proofImport, .proofList,
        .proofOwnerKey, .proofRedeem, .proofRevoke, .proofTransfer, .proofVerify, .ratesGet, .rpcDiscover,
        .walletBalance, .walletTransactions,
    ]
}
