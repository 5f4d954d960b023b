from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=None, hidden=False)
def test_one_step_by_hand(invert_by_descent):
    import torch
    generator = lambda z: 2 * z
    z = invert_by_descent(generator, torch.tensor([[3.0]]), torch.tensor([[0.0]]), 1, 0.1)
    assert torch.allclose(z, torch.tensor([[1.2]])), f'z − η·4(2z − x) = 0 + 0.1·12 = 1.2; got {z.tolist()}'

@test_case(points=None, hidden=False)
def test_converges_on_a_linear_generator(invert_by_descent):
    import torch
    lin = torch.nn.Linear(2, 3)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        lin.bias.zero_()
    before = lin.weight.detach().clone()
    x = lin(torch.tensor([[1.0, -2.0]])).detach()
    z = invert_by_descent(lin, x, torch.zeros(1, 2), 300, 0.5)
    assert torch.allclose(z, torch.tensor([[1.0, -2.0]]), atol=0.001), f'the code of x = G((1, -2)) is (1, -2); got {z.tolist()}'
    assert torch.equal(lin.weight, before), "the generator's parameters must not change"
    assert lin.weight.grad is None and lin.bias.grad is None, "the generator's parameters must get no gradient (p.grad stays None)"

