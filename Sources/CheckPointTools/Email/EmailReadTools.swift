import MCPCore

/// The read-only Harmony Email & Collaboration tools, in catalog order.
enum EmailReadTools {
    static var specs: [ToolSpec] {
        [
            ListScopes.spec,
            SearchEntities.spec,
            GetEntityDetails.spec,
            DownloadEmail.spec,
            GetSecurityEvents.spec,
            ListRestoreRequests.spec,
            GetTaskStatus.spec,
            ListExceptions.spec,
            Diagnose.spec,
        ]
    }
}
