using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// The real COM surface: HNetCfg.FwPolicy2 and HNetCfg.FWRule, called by name through IDispatch
    /// (Type.InvokeMember). Late binding by name was chosen over [ComImport] interface declarations
    /// because those must repeat the exact vtable order of INetFwPolicy2, INetFwRules and INetFwRule
    /// (IDispatch's methods first, then every get_/put_ pair as netfw.h lists them); one slot out of
    /// place calls the wrong method with no error from the compiler. IDispatch resolves each name at
    /// run time and fails loudly on a wrong one. It needs no Microsoft.CSharp (no dynamic), works in
    /// netstandard2.0, and runs on .NET Framework (Windows PowerShell 5.1) and .NET 3.1+ (PowerShell
    /// 7), which both support IDispatch late binding and enumerating a COM collection through
    /// IEnumerable (DISPID_NEWENUM). The cost, one IDispatch call per property, is small next to the
    /// firewall service's own work per rule.
    ///
    /// This class was compiled but never run on Windows: the project's tests run on Linux and
    /// exercise the backend through a fake of <see cref="IFirewallPolicyCom"/>.
    /// </summary>
    internal sealed class ComFirewallPolicy : IFirewallPolicyCom
    {
        private const string PolicyProgId = "HNetCfg.FwPolicy2";
        private const string RuleProgId = "HNetCfg.FWRule";

        private readonly object _policy;
        private readonly Type _ruleType;

        public ComFirewallPolicy()
        {
            var policyType = Type.GetTypeFromProgID(PolicyProgId, false);
            _ruleType = Type.GetTypeFromProgID(RuleProgId, false);
            if (policyType == null || _ruleType == null)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallBackendNotInstalled,
                    ErrorKind.NotInstalled,
                    PolicyProgId,
                    "Windows Defender Firewall's COM interface (" + PolicyProgId + ") is not registered on this system.")
                {
                    RecommendedAction = "Run the command on a Windows edition that includes Windows Defender Firewall.",
                };
            }

            try
            {
                _policy = Activator.CreateInstance(policyType);
            }
            catch (Exception ex) when (ex is COMException || ex is UnauthorizedAccessException)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallBackendFailed,
                    ErrorKind.ResourceUnavailable,
                    PolicyProgId,
                    "Windows Defender Firewall's COM interface could not be opened: " + ex.Message,
                    ex)
                {
                    RecommendedAction = "Check that the Windows Defender Firewall service (mpssvc) is running.",
                };
            }
        }

        public IReadOnlyList<IFirewallRuleCom> GetRules()
        {
            var list = new List<IFirewallRuleCom>();
            foreach (var item in (IEnumerable)Rules())
            {
                list.Add(new ComFirewallRule(item));
            }

            return list;
        }

        public IFirewallRuleCom CreateRule()
        {
            return new ComFirewallRule(Activator.CreateInstance(_ruleType));
        }

        public void Add(IFirewallRuleCom rule)
        {
            Dispatch.Call(Rules(), "Add", ((ComFirewallRule)rule).Instance);
        }

        public void Remove(string name)
        {
            Dispatch.Call(Rules(), "Remove", name);
        }

        /// <summary>INetFwPolicy2.Rules, fetched each time so no stale collection is kept.</summary>
        private object Rules()
        {
            return Dispatch.Get(_policy, "Rules");
        }

        /// <summary>An INetFwRule object, property by property through IDispatch.</summary>
        private sealed class ComFirewallRule : IFirewallRuleCom
        {
            public ComFirewallRule(object instance)
            {
                Instance = instance;
            }

            public object Instance { get; }

            public string Name { get => GetString("Name"); set => Dispatch.Set(Instance, "Name", value); }

            public string Description { get => GetString("Description"); set => Dispatch.Set(Instance, "Description", value); }

            public string Grouping { get => GetString("Grouping"); set => Dispatch.Set(Instance, "Grouping", value); }

            public int Protocol { get => GetInt("Protocol"); set => Dispatch.Set(Instance, "Protocol", value); }

            public string LocalPorts { get => GetString("LocalPorts"); set => Dispatch.Set(Instance, "LocalPorts", value); }

            public string RemotePorts { get => GetString("RemotePorts"); set => Dispatch.Set(Instance, "RemotePorts", value); }

            public string RemoteAddresses { get => GetString("RemoteAddresses"); set => Dispatch.Set(Instance, "RemoteAddresses", value); }

            public int Direction { get => GetInt("Direction"); set => Dispatch.Set(Instance, "Direction", value); }

            public int Action { get => GetInt("Action"); set => Dispatch.Set(Instance, "Action", value); }

            public bool Enabled
            {
                get => Convert.ToBoolean(Dispatch.Get(Instance, "Enabled"), CultureInfo.InvariantCulture);
                set => Dispatch.Set(Instance, "Enabled", value);
            }

            public int Profiles { get => GetInt("Profiles"); set => Dispatch.Set(Instance, "Profiles", value); }

            public string InterfaceTypes { get => GetString("InterfaceTypes"); set => Dispatch.Set(Instance, "InterfaceTypes", value); }

            public string LocalAddresses => GetString("LocalAddresses");

            public string ApplicationName => GetString("ApplicationName");

            public string ServiceName => GetString("serviceName");

            private string GetString(string property)
            {
                return Dispatch.Get(Instance, property) as string;
            }

            private int GetInt(string property)
            {
                return Convert.ToInt32(Dispatch.Get(Instance, property), CultureInfo.InvariantCulture);
            }
        }

        /// <summary>IDispatch calls by name, rethrowing the COM error itself rather than reflection's wrapper.</summary>
        private static class Dispatch
        {
            public static object Get(object target, string property)
            {
                return Invoke(target, property, BindingFlags.GetProperty, null);
            }

            public static void Set(object target, string property, object value)
            {
                Invoke(target, property, BindingFlags.SetProperty, new[] { value });
            }

            public static object Call(object target, string method, params object[] args)
            {
                return Invoke(target, method, BindingFlags.InvokeMethod, args);
            }

            private static object Invoke(object target, string member, BindingFlags flags, object[] args)
            {
                try
                {
                    return target.GetType().InvokeMember(member, flags, null, target, args, CultureInfo.InvariantCulture);
                }
                catch (TargetInvocationException ex) when (ex.InnerException != null)
                {
                    ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    throw;
                }
            }
        }
    }
}
