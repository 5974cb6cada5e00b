using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EndpointAdmin.Completers
{
    /// <summary>Completes -Component with the components of the products already given (offline, from the catalog).</summary>
    internal sealed class PortCatalogComponentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return CompleterHelpers.Complete(CompleterHelpers.SelectedProducts(fakeBoundParameters).SelectMany(p => p.Components), wordToComplete);
        }
    }
}
