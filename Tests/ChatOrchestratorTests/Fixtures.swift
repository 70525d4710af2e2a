/// The documents the pipeline tests ask about.
enum Fixtures {
    static let annualRefund = "Annual plans can be refunded in full within 30 days of purchase."
    static let monthlyRefund = "Monthly plans are refunded pro rata for the unused days of the current month."
    static let keyRotation = "Signing keys are rotated every 90 days by the platform team and the previous key stays valid for one day."
    static let travel = "Travel expenses are reimbursed within 30 days when receipts are submitted to finance."

    static let passages: [ChatHarness.Passage] = [
        .init(document: "refunds", collection: "handbook", text: annualRefund, title: "Refund policy"),
        .init(document: "refunds", collection: "handbook", text: monthlyRefund, title: "Refund policy"),
        .init(document: "keys", collection: "handbook", text: keyRotation, category: "security", title: "Key rotation"),
        .init(document: "travel", collection: "policies", text: travel, title: "Travel policy"),
    ]
}
