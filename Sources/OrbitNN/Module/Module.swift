import Orbit

/// Anything that holds parameters, buffers or other modules: layers, cells, whole models.
///
/// Parameters are found by reflection (STYLE N2): the default `namedChildren` lists a module's stored
/// properties in declaration order, and discovery recurses into modules, arrays and optionals, naming
/// each parameter by its path (`encoder.conv1.weight`, `layers.0.bias`), as PyTorch's `state_dict`
/// does. A module with unusual storage overrides `namedChildren` (as `Sequential` does). The type says
/// what is trainable: `Parameter`s are, `Buffer`s are saved but not trained, plain `Tensor`s are neither.
public protocol Module: AnyObject {
    /// The values this module exposes to discovery, with their names. Default: stored properties.
    var namedChildren: [(name: String, value: Any)] { get }
}

/// A module that maps one tensor to one tensor.
public protocol Layer: Module {
    func callAsFunction(_ input: Tensor) -> Tensor
}

/// A module whose behaviour differs between training and evaluation (dropout, batch normalization).
public protocol ModeDependent: AnyObject {
    var isTraining: Bool { get set }
}

extension Module {
    public var namedChildren: [(name: String, value: Any)] {
        Mirror(reflecting: self).children.compactMap { child in child.label.map { ($0, child.value) } }
    }

    /// Every parameter reachable from this module, named by path, in declaration order; a parameter
    /// reachable twice (weight tying) is listed once, under its first path.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var found: [(String, Parameter)] = []
        var seen = Set<ObjectIdentifier>()
        walk { path, value in
            if let parameter = value as? Parameter, seen.insert(ObjectIdentifier(parameter)).inserted {
                found.append((path, parameter))
            }
        }
        return found
    }

    /// The parameters in the stable order of `namedParameters`.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// Every buffer (saved, not trained) reachable from this module, named by path.
    public var namedBuffers: [(name: String, buffer: Buffer)] {
        var found: [(String, Buffer)] = []
        var seen = Set<ObjectIdentifier>()
        walk { path, value in
            if let buffer = value as? Buffer, seen.insert(ObjectIdentifier(buffer)).inserted { found.append((path, buffer)) }
        }
        return found
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// Puts this module and every module inside it in training mode (the default).
    public func train() { setMode(training: true) }

    /// Puts this module and every module inside it in evaluation mode: dropout off, batch normalization
    /// using its running statistics.
    public func eval() { setMode(training: false) }

    private func setMode(training: Bool) {
        (self as? ModeDependent)?.isTraining = training
        walk { _, value in (value as? ModeDependent)?.isTraining = training }
    }

    /// Visits every value below this module with its dotted path, depth first in declaration order.
    func walk(_ visit: (String, Any) -> Void) {
        var visited = Set<ObjectIdentifier>([ObjectIdentifier(self)])
        for (name, value) in namedChildren { ModuleWalker.visit(value, path: name, visited: &visited, visit) }
    }
}

enum ModuleWalker {
    static func visit(_ value: Any, path: String, visited: inout Set<ObjectIdentifier>, _ body: (String, Any) -> Void) {
        if let module = value as? Module {
            guard visited.insert(ObjectIdentifier(module)).inserted else { return }
            body(path, value)
            for (name, child) in module.namedChildren { visit(child, path: path + "." + name, visited: &visited, body) }
            return
        }
        if value is Parameter || value is Buffer {
            body(path, value)
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value { visit(wrapped, path: path, visited: &visited, body) }
        case .collection:
            for (index, element) in mirror.children.enumerated() {
                visit(element.value, path: path + "." + String(index), visited: &visited, body)
            }
        default:
            break
        }
    }
}
