namespace EndpointAdmin.Managers
{
    /// <summary>
    /// What a manager provider can do. Cmdlets ask for one capability; the capability matrix in the
    /// docs is tested against what each provider declares (ManagerCapabilityTests).
    /// </summary>
    internal enum ManagerCapability
    {
        ListAgents,
        EvaluateHeartbeat,
        ReadHeartbeatPolicy,
        WriteHeartbeatPolicy,
        SetCommunicationDirection,
        CreateHeartbeatFirewallRule,
        SyncAgent,
        SetProxyById,
        SetProxyByAddress,

        // Apex One agent-server and global firewall settings (Set-AgentServerCommunication,
        // Set-AgentProxy -Purpose AgentServer, Set-AgentFirewallSetting).
        SetServerCommunication,
        SetAgentServerProxy,
        SetFirewallSettings,
        SetContinuousConnection,

        // Test-, Set- and Export-AgentBaseline.
        Baseline,
    }
}
