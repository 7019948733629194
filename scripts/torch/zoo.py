"""PyTorch twins of the tfjs model zoo (internal/zoo), for the side-by-side benchmark.

Same layers, shapes and trainable parameter counts as the tfjs builders (the benchmark asserts the
counts match): ResNet-18 for 32x32 inputs (11,173,962 parameters at width 64 and 10 classes) and
MobileNetV2 with the CIFAR stem and every channel count, the last 1280 included, scaled by the
width multiplier (2,236,682 at 1.0). BatchNorm keeps PyTorch's defaults (eps 1e-5, momentum 0.1),
which the tfjs builders copy. Only costs are compared, so weights keep PyTorch's initialisation.
"""

import torch.nn as nn
import torch.nn.functional as F


def param_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


def resnet18(num_classes=10, width=64):
    layers = [nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    cin = width
    for stage, stride in enumerate((1, 2, 2, 2)):
        cout = width * 2 ** stage
        layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
        cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, num_classes)]
    return nn.Sequential(*layers)


def make_divisible(value, divisor=8):
    rounded = max(divisor, int(value / divisor + 0.5) * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def conv_bn(cin, cout, kernel, stride=1, groups=1, relu6=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return layers + [nn.ReLU6()] if relu6 else layers


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        layers = conv_bn(cin, hidden, 1) if expansion != 1 else []
        layers += conv_bn(hidden, hidden, 3, stride, groups=hidden)
        layers += conv_bn(hidden, cout, 1, relu6=False)
        self.body = nn.Sequential(*layers)
        self.skip = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.skip else self.body(x)


STAGES = ((1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def mobilenet_v2(num_classes=10, width_mult=1.0):
    cin = make_divisible(32 * width_mult)
    layers = conv_bn(3, cin, 3)
    for expansion, channels, blocks, stride in STAGES:
        cout = make_divisible(channels * width_mult)
        for b in range(blocks):
            layers.append(InvertedResidual(cin, cout, expansion, stride if b == 0 else 1))
            cin = cout
    last = make_divisible(1280 * width_mult)
    layers += conv_bn(cin, last, 1) + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(last, num_classes)]
    return nn.Sequential(*layers)
